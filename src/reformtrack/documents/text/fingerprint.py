"""What a copy of a story keeps: MinHash of script-unified text (copies in one language, spun
ones included) and, across languages, the numbers with their units and the organisations."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache
from hashlib import sha1

try:  # CPython's own SHA-1: the same digest as OpenSSL's, with less to set up for 3 characters
    from _sha1 import sha1 as _sha1
except ImportError:  # pragma: no cover
    _sha1 = sha1

PERMUTATIONS = 64
NOISE = re.compile(r"[\W_]+")
HAN = re.compile(r"[\u4e00-\u9fff]")
SENTENCE_END = re.compile(r"[。！？；\n]")  # noise themselves: a sentence ends where one was
NOISE_BUT_ENDS = re.compile(r"[^\w。！？；\n]+|_+")  # NOISE but for SENTENCE_END's characters
# The MinHash values of the sentences read lately (copies of a story share most sentences):
# a sketch is the minimum over its shingles, so the minimum over a sentence's own shingles
# serves every text holding the sentence; the few shingles across sentences are hashed anew.
_kept: dict = {}  # sentence → its numpy array of values
KEPT_SENTENCES = 20_000  # all dropped past that (~600 bytes each)


def shingles(simplified: str) -> set[str]:
    text = NOISE.sub("", simplified.lower())
    if HAN.search(text):
        return {text[i : i + 3] for i in range(max(0, len(text) - 2))}
    words = NOISE.sub(" ", simplified.lower()).split()
    return {" ".join(words[i : i + 3]) for i in range(max(0, len(words) - 2))}


def _sha1_hash32(data: bytes) -> int:
    """datasketch's `sha1_hash32` (the first four bytes of SHA-1, little-endian) without the
    struct call."""
    return int.from_bytes(sha1(data).digest()[:4], "little")


@cache
def _permutations():
    """The permutations of MinHash(num_perm=64, seed=7), drawn once per process (datasketch
    draws them again for every sketch)."""
    from datasketch import MinHash  # loads scipy (2 s): only when a document is fingerprinted

    template = MinHash(num_perm=PERMUTATIONS, seed=7)
    return {"permutations": template.permutations, "scheme": template.scheme}


@cache
def _scheme():
    """(a, b, the empty sketch, how hashes are mixed) of datasketch's `update_batch` for the
    scheme of `_permutations`: its CPU path, applied here to the hashes as an array."""
    import numpy as np
    from datasketch import minhash as ds

    drawn = _permutations()
    a, b = drawn["permutations"]
    empty = ds.MinHash(num_perm=PERMUTATIONS, seed=7, hashfunc=int, **drawn).hashvalues
    if drawn["scheme"] == ds._SCHEME_LEGACY:

        def permuted(hv):
            return np.bitwise_and((hv.astype(np.uint64) * a + b) % ds._mersenne_prime, ds._max_hash)
    else:
        width, dtype = ds._SCHEME_WIDTHS[drawn["scheme"]], ds._SCHEME_DTYPES[drawn["scheme"]]

        def permuted(hv):
            return ds._fmix(hv.astype(dtype), width) * a + b

    return empty, permuted


def _sketch(found):
    """datasketch's MinHash(num_perm=64, seed=7) hash values of the shingles `found`: the same
    permutations, hash (`_sha1_hash32`, applied here in one pass) and arithmetic as its
    `update_batch`, on the hashes as one array rather than a list of Python integers."""
    import numpy as np

    empty, permuted = _scheme()
    if not found:
        return empty.copy()
    digests = b"".join([_sha1(s.encode()).digest() for s in found])  # 20 bytes each
    hashes = np.frombuffer(digests, dtype="<u4")[::5]  # each one's first four bytes
    return np.minimum(empty, permuted(hashes.reshape(-1, 1)).min(axis=0))


def minhash(simplified: str) -> list[int]:
    """datasketch's MinHash(num_perm=64, seed=7) of the shingles: the same permutations and
    hash, so the same values (the minimum does not depend on the order the shingles come in,
    nor on how they are grouped: the minimum of the sentences' minima is the text's)."""
    if not KEPT_SENTENCES:
        return _sketch(shingles(simplified)).tolist()
    import numpy as np

    # NOISE removes single characters, sentence ends among them: the noise but for the ends
    # removed, then split at them, gives the sentences' parts of `NOISE.sub("", lower)`
    pieces = SENTENCE_END.split(NOISE_BUT_ENDS.sub("", simplified.lower()))
    text = "".join(pieces)
    if not HAN.search(text):
        return _sketch(shingles(simplified)).tolist()
    sketches, loose, missing = [], set(), []
    start, last = 0, len(text) - 2  # shingles start at 0 … last - 1
    for piece in pieces:
        n = len(piece)
        if n >= 3:  # its own shingles start at start … start + n - 3
            found = _kept.get(piece)
            if found is None:
                missing.append(piece)
            else:
                sketches.append(found)
            across = start + n - 2
        else:
            across = start
        loose.update(text[i : i + 3] for i in range(across, min(start + n, last)))
        start += n
    for piece in dict.fromkeys(missing):
        found = _kept[piece] = _sketch({piece[i : i + 3] for i in range(len(piece) - 2)})
        sketches.append(found)
    if len(_kept) > KEPT_SENTENCES:
        _kept.clear()
    sketches.append(_sketch(loose))
    return np.minimum.reduce(sketches).tolist()


def similarity(a: list[int], b: list[int]) -> float:
    if not a or not b or len(a) != len(b):
        return 0.0
    return sum(x == y for x, y in zip(a, b, strict=True)) / len(a)


def facts_key(items: list[dict]) -> list[str]:
    """Language-free keys: money in yuan, percentages, counts, organisation codes."""
    keys = set()
    for item in items:
        v = item["value"]
        if item["kind"] == "money":
            keys.add("y" + format(Decimal(v["value"]).normalize(), "f"))
        elif item["kind"] in ("percent", "target"):
            keys.add("p" + format(Decimal(v["percent"]).normalize(), "f"))
        elif item["kind"] == "count":
            keys.add(f"n{v['count']}")
        elif item["kind"] in ("organisation", "rating"):
            keys.add(f"o{v.get('code') or v.get('organisation')}")
    return sorted(keys)


MIN_SHARED = 2  # figures two copies share at least
MIN_SHARED_UNDATED = 3  # when either copy carries no date: stronger evidence
UNDATED_WEIGHT = 0.75  # an undated pair's score, so it needs 0.8 of the figures for 0.6


def _common(key: str) -> bool:
    """A count of ten or less (3家, 5个) occurs in most stories: no evidence of a copy."""
    return key.startswith("n") and key[1:].isdigit() and int(key[1:]) <= 10


def key_overlap(a: list[str], b: list[str], *, undated: bool = False) -> float:
    """Shared figures divided by the larger set of figures (a short text cannot join a long
    digest on a few figures that also occur among its hundred); names alone (SASAC, a
    programme) are common to every story of a week and count for nothing. Approximate
    figures (400余户, 9000多亿, more than 400) are keyed on their stated value, so a Chinese
    and an English copy share them. An undated pair needs more shared figures and a higher
    share."""
    fa = {k for k in a if not k.startswith("o")}
    fb = {k for k in b if not k.startswith("o")}
    shared = fa & fb
    telling = [k for k in shared if not _common(k)]
    if len(telling) < (MIN_SHARED_UNDATED if undated else MIN_SHARED):
        return 0.0
    score = len(shared) / max(len(fa), len(fb))
    return score * UNDATED_WEIGHT if undated else score


BANDS = 16  # of PERMUTATIONS / BANDS rows each: pairs above ~0.5 similarity share a band


def band_values(hashvalues: list[int]) -> list[str]:
    rows = len(hashvalues) // BANDS
    out = []
    for band in range(BANDS):
        chunk = hashvalues[band * rows : (band + 1) * rows]
        out.append(f"b{band}:" + "-".join(format(v, "x") for v in chunk))
    return out


def key_values(keys: list[str]) -> list[str]:
    """Figures only: names alone (SASAC) would join every story of a week."""
    return [f"k:{k}" for k in keys if not k.startswith("o")]
