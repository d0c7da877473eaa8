"""Words of titles and names the people rules share: pinyin surnames (a Chinese name written in
English, either order), words that are never part of an English personal name (weekdays, months,
the nouns of bodies), and which Chinese titles are descriptors rather than posts."""

from __future__ import annotations

import re


# The common Chinese surnames in Hanyu Pinyin (and a few older spellings seen in the press).
def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


PINYIN_SURNAMES = _words(
    """
    an bai bao bi bian cai cao cen chai chang chen cheng chi chu cui dai deng di diao ding dong
    dou du duan fan fang fei feng fu gao ge geng gong gu guan guo han hao he hou hu hua huang
    ji jia jiang jiao jin jing kang ke kong kuang lai lan lang lei li lian liang liao lin ling
    liu long lou lu luo lv lyu ma mao mei meng mi miao min mo mu ni nie ning niu ou pan pang pei
    peng pi ping qi qian qiao qin qiu qu quan ran ren rong ruan shang shao shen sheng shi shu
    si song su sun tan tang tao tian tong wan wang wei wen weng wu xi xia xian xiang xiao xie
    xin xing xiong xu xue yan yang yao ye yi yin ying you yu yuan yue yun zang zeng zhai zhan
    zhang zhao zheng zhong zhou zhu zhuang zhuo zou zuo ouyang sima situ zhuge shangguan
    huangfu murong
    chan cheung chow chu chung fong ho hui kwok lam lau lee leung lo lui mak ng poon tse tsang
    wong yeung yip
    """
)

# Capitalised words that end or are no personal name: "Zhang Guoqing Tuesday urged".
NOT_NAME_WORDS = _words(
    """
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May
    June July August September October November December Office Bureau Commission Committee
    Council Group Company Corporation Department Ministry Administration Agency Association
    Reform Bank Co Ltd Holdings Daily News Press Institute University Center Centre Party State
    Province City China Chinese Beijing Shanghai SASAC SOE SOEs Councilor Councillor Chairman
    Chairwoman President Director Premier Minister Secretary Vice Deputy General Governor Mayor
    Comrade Professor Reporter Editor Mr Ms Mrs Dr Officer Financial Operating Executive
    Technology Information Accounting Board Directors Supervisory Senior
    """
)

_FINALS = (
    "iang|iong|uang|ueng|ang|eng|ing|ong|ian|iao|uai|uan|van|ai|ei|ao|ou|an|en|er|ia|ie|iu|in|"
    "ua|uo|ui|un|ue|ve|a|o|e|i|u|v"
)
# A word of one or two pinyin syllables (huagang, yuzhuo, jinping): a given name in lower case.
PINYIN_WORD = re.compile(rf"(?:(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?(?:{_FINALS})){{1,2}}")

WEAK_TITLE = re.compile(r"(?:专家|学者|同志|人士)$")  # a descriptor: a post later in the text wins


def pinyin_name(name: str) -> bool:
    """A Chinese name in pinyin, either order: Zhang Yuzhuo, Yuzhuo Zhang, Peng Jian'guo."""
    parts = re.split(r"[ -]", name)
    return len(parts) >= 2 and (
        parts[0].casefold() in PINYIN_SURNAMES or parts[-1].casefold() in PINYIN_SURNAMES
    )


def name_words_ok(name: str) -> bool:
    return not any(w in NOT_NAME_WORDS for w in re.split(r"[ -]", name))
