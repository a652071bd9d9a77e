#!/usr/bin/python3
"""Writes the import parity fixtures: tiny random checkpoints and the outputs Hugging Face computes.

For each architecture the importer supports, this script builds a small randomly initialised
checkpoint (2 layers, hidden 32, 4 heads, vocab 100), writes it as a Hugging Face checkpoint
directory (config.json, model.safetensors, vocab.txt) and runs a reference forward pass written
directly in PyTorch after the Hugging Face modelling code (transformers/models/{bert,roberta,
distilbert,modernbert}/modeling_*.py): embeddings, post-LayerNorm attention blocks, and the
*ForSequenceClassification heads. The reference is independent of our TensorFlow graph: the Java
CheckpointParityTest imports each directory through the real importer and compares.

Rerun (from the repository root; needs Debian's python3-torch and python3-numpy, no transformers):

    /usr/bin/python3 models/tools/src/test/scripts/make_parity_fixtures.py

It overwrites models/tools/src/test/resources/parity/<arch>/ deterministically (fixed seeds).
"""

import json
import math
import os
import struct

import numpy as np
import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "parity")
VOCAB = 100
HIDDEN = 32
LAYERS = 2
HEADS = 4
INTERMEDIATE = 64

# Three texts of different lengths, padded to 12 (filled in with each architecture's pad id).
LENGTHS = [12, 7, 4]
WIDTH = 12


# ---------------------------------------------------------------- activations (ACT2FN)

def gelu(x):
    return 0.5 * x * (1.0 + torch.erf(x / math.sqrt(2.0)))


def gelu_new(x):
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x.pow(3))))


ACT = {"gelu": gelu, "gelu_new": gelu_new, "relu": torch.relu}


# ---------------------------------------------------------------- helpers

def rand(gen, *shape, std=0.2, mean=0.0):
    return (torch.randn(*shape, generator=gen, dtype=torch.float64) * std + mean).float()


def linear(sd, name, x):
    return x @ sd[name + ".weight"].T + sd[name + ".bias"]


def layer_norm(sd, name, x, eps):
    return torch.nn.functional.layer_norm(
        x, (x.shape[-1],), sd[name + ".weight"], sd[name + ".bias"], eps)


def attention(q, k, v, mask, heads):
    """Scaled dot-product attention as BertSelfAttention: mask 0 → finfo.min added to the score."""
    b, s, h = q.shape
    d = h // heads

    def split(t):
        return t.view(b, s, heads, d).permute(0, 2, 1, 3)

    scores = split(q) @ split(k).transpose(-1, -2) / math.sqrt(d)
    extended = (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min
    probs = torch.softmax(scores + extended, dim=-1)
    return (probs @ split(v)).permute(0, 2, 1, 3).reshape(b, s, h)


def sinusoidal(n_pos, dim):
    """DistilBERT's create_sinusoidal_embeddings."""
    enc = np.array([[pos / np.power(10000, 2 * (j // 2) / dim) for j in range(dim)]
                    for pos in range(n_pos)])
    out = torch.zeros(n_pos, dim)
    out[:, 0::2] = torch.FloatTensor(np.sin(enc[:, 0::2]))
    out[:, 1::2] = torch.FloatTensor(np.cos(enc[:, 1::2]))
    return out


# ---------------------------------------------------------------- BERT / RoBERTa

def bert_like_weights(gen, prefix, max_pos, type_vocab):
    sd = {}
    p = prefix
    sd[p + "embeddings.word_embeddings.weight"] = rand(gen, VOCAB, HIDDEN, std=0.5)
    sd[p + "embeddings.position_embeddings.weight"] = rand(gen, max_pos, HIDDEN, std=0.5)
    sd[p + "embeddings.token_type_embeddings.weight"] = rand(gen, type_vocab, HIDDEN, std=0.5)
    sd[p + "embeddings.LayerNorm.weight"] = rand(gen, HIDDEN, std=0.1, mean=1.0)
    sd[p + "embeddings.LayerNorm.bias"] = rand(gen, HIDDEN, std=0.1)
    for i in range(LAYERS):
        l = "%sencoder.layer.%d." % (p, i)
        for n in ["attention.self.query", "attention.self.key", "attention.self.value",
                  "attention.output.dense"]:
            sd[l + n + ".weight"] = rand(gen, HIDDEN, HIDDEN)
            sd[l + n + ".bias"] = rand(gen, HIDDEN, std=0.1)
        sd[l + "intermediate.dense.weight"] = rand(gen, INTERMEDIATE, HIDDEN)
        sd[l + "intermediate.dense.bias"] = rand(gen, INTERMEDIATE, std=0.1)
        sd[l + "output.dense.weight"] = rand(gen, HIDDEN, INTERMEDIATE)
        sd[l + "output.dense.bias"] = rand(gen, HIDDEN, std=0.1)
        for n in ["attention.output.LayerNorm", "output.LayerNorm"]:
            sd[l + n + ".weight"] = rand(gen, HIDDEN, std=0.1, mean=1.0)
            sd[l + n + ".bias"] = rand(gen, HIDDEN, std=0.1)
    return sd


def bert_like_encoder(sd, p, ids, types, mask, position_ids, act, eps):
    """BertModel / RobertaModel: embeddings then post-LayerNorm blocks (BertLayer)."""
    x = (sd[p + "embeddings.word_embeddings.weight"][ids]
         + sd[p + "embeddings.token_type_embeddings.weight"][types]
         + sd[p + "embeddings.position_embeddings.weight"][position_ids])
    x = layer_norm(sd, p + "embeddings.LayerNorm", x, eps)
    for i in range(LAYERS):
        l = "%sencoder.layer.%d." % (p, i)
        ctx = attention(linear(sd, l + "attention.self.query", x),
                        linear(sd, l + "attention.self.key", x),
                        linear(sd, l + "attention.self.value", x), mask, HEADS)
        a = layer_norm(sd, l + "attention.output.LayerNorm",
                       linear(sd, l + "attention.output.dense", ctx) + x, eps)
        inner = act(linear(sd, l + "intermediate.dense", a))
        x = layer_norm(sd, l + "output.LayerNorm", linear(sd, l + "output.dense", inner) + a, eps)
    return x


def roberta_position_ids(ids, padding_idx):
    """RoBERTa's create_position_ids_from_input_ids: padding keeps padding_idx, others count on."""
    m = ids.ne(padding_idx).int()
    return (torch.cumsum(m, dim=1).type_as(m) * m).long() + padding_idx


# ---------------------------------------------------------------- DistilBERT

def distilbert_weights(gen, max_pos):
    sd = {}
    p = "distilbert."
    sd[p + "embeddings.word_embeddings.weight"] = rand(gen, VOCAB, HIDDEN, std=0.5)
    sd[p + "embeddings.position_embeddings.weight"] = sinusoidal(max_pos, HIDDEN)
    sd[p + "embeddings.LayerNorm.weight"] = rand(gen, HIDDEN, std=0.1, mean=1.0)
    sd[p + "embeddings.LayerNorm.bias"] = rand(gen, HIDDEN, std=0.1)
    for i in range(LAYERS):
        l = "%stransformer.layer.%d." % (p, i)
        for n in ["attention.q_lin", "attention.k_lin", "attention.v_lin", "attention.out_lin"]:
            sd[l + n + ".weight"] = rand(gen, HIDDEN, HIDDEN)
            sd[l + n + ".bias"] = rand(gen, HIDDEN, std=0.1)
        sd[l + "ffn.lin1.weight"] = rand(gen, INTERMEDIATE, HIDDEN)
        sd[l + "ffn.lin1.bias"] = rand(gen, INTERMEDIATE, std=0.1)
        sd[l + "ffn.lin2.weight"] = rand(gen, HIDDEN, INTERMEDIATE)
        sd[l + "ffn.lin2.bias"] = rand(gen, HIDDEN, std=0.1)
        for n in ["sa_layer_norm", "output_layer_norm"]:
            sd[l + n + ".weight"] = rand(gen, HIDDEN, std=0.1, mean=1.0)
            sd[l + n + ".bias"] = rand(gen, HIDDEN, std=0.1)
    return sd


def distilbert_encoder(sd, ids, mask, act):
    """DistilBertModel: Embeddings (no token types) then TransformerBlocks, LayerNorm eps 1e-12."""
    p = "distilbert."
    eps = 1e-12
    pos = torch.arange(ids.shape[1])[None, :]
    x = sd[p + "embeddings.word_embeddings.weight"][ids] + sd[
        p + "embeddings.position_embeddings.weight"][pos]
    x = layer_norm(sd, p + "embeddings.LayerNorm", x, eps)
    for i in range(LAYERS):
        l = "%stransformer.layer.%d." % (p, i)
        ctx = attention(linear(sd, l + "attention.q_lin", x), linear(sd, l + "attention.k_lin", x),
                        linear(sd, l + "attention.v_lin", x), mask, HEADS)
        sa = layer_norm(sd, l + "sa_layer_norm", linear(sd, l + "attention.out_lin", ctx) + x, eps)
        ffn = linear(sd, l + "ffn.lin2", act(linear(sd, l + "ffn.lin1", sa)))
        x = layer_norm(sd, l + "output_layer_norm", ffn + sa, eps)
    return x


# ---------------------------------------------------------------- ModernBERT

MODERN_LOCAL_WINDOW = 4  # tokens attended on each side: local_attention // 2 = 2, so it bites at 12
MODERN_GLOBAL_EVERY = 2  # layer 0 global (rope theta 160000), layer 1 local (rope theta 10000)


def modernbert_weights(gen):
    """ModernBertModel saved without biases (attention_bias, mlp_bias and norm_bias all false)."""
    sd = {}
    p = "model."
    sd[p + "embeddings.tok_embeddings.weight"] = rand(gen, VOCAB, HIDDEN, std=0.5)
    sd[p + "embeddings.norm.weight"] = rand(gen, HIDDEN, std=0.1, mean=1.0)
    for i in range(LAYERS):
        l = "%slayers.%d." % (p, i)
        if i > 0:  # layer 0's attn_norm is an Identity
            sd[l + "attn_norm.weight"] = rand(gen, HIDDEN, std=0.1, mean=1.0)
        sd[l + "attn.Wqkv.weight"] = rand(gen, 3 * HIDDEN, HIDDEN)
        sd[l + "attn.Wo.weight"] = rand(gen, HIDDEN, HIDDEN)
        sd[l + "mlp_norm.weight"] = rand(gen, HIDDEN, std=0.1, mean=1.0)
        sd[l + "mlp.Wi.weight"] = rand(gen, 2 * INTERMEDIATE, HIDDEN)
        sd[l + "mlp.Wo.weight"] = rand(gen, HIDDEN, INTERMEDIATE)
    sd[p + "final_norm.weight"] = rand(gen, HIDDEN, std=0.1, mean=1.0)
    return sd


def rotate_half(x):
    x1 = x[..., : x.shape[-1] // 2]
    x2 = x[..., x.shape[-1] // 2:]
    return torch.cat((-x2, x1), dim=-1)


def rope(seq, dim, theta):
    """ModernBertRotaryEmbedding (default rope): cos and sin of position · inv_freq, [seq, dim]."""
    inv_freq = 1.0 / (theta ** (torch.arange(0, dim, 2, dtype=torch.int64).float() / dim))
    freqs = torch.arange(seq).float()[:, None] @ inv_freq[None, :]
    emb = torch.cat((freqs, freqs), dim=-1)
    return emb.cos(), emb.sin()


def modernbert_encoder(sd, ids, mask, act, eps):
    """ModernBertModel, eager attention: pre-LayerNorm blocks, rotary q/k, GeGLU, sliding window."""
    p = "model."
    b, seq = ids.shape
    d = HIDDEN // HEADS

    def ln(name, x):
        return torch.nn.functional.layer_norm(x, (HIDDEN,), sd[name + ".weight"], None, eps)

    x = ln(p + "embeddings.norm", sd[p + "embeddings.tok_embeddings.weight"][ids])
    minimum = torch.finfo(torch.float32).min
    global_mask = ((1.0 - mask[:, None, None, :].float()) * minimum).expand(b, 1, seq, seq)
    rows = torch.arange(seq)[None, :]
    window = (torch.abs(rows - rows.T) <= MODERN_LOCAL_WINDOW // 2)[None, None]
    sliding_mask = global_mask.masked_fill(window.logical_not(), minimum)
    for i in range(LAYERS):
        l = "%slayers.%d." % (p, i)
        is_global = i % MODERN_GLOBAL_EVERY == 0
        cos, sin = rope(seq, d, 160000.0 if is_global else 10000.0)
        h = x if i == 0 else ln(l + "attn_norm", x)
        qkv = (h @ sd[l + "attn.Wqkv.weight"].T).view(b, seq, 3, HEADS, d)
        q, k, v = qkv.transpose(3, 1).unbind(dim=2)  # [b, heads, seq, d]
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        scores = (q @ k.transpose(2, 3)) * d ** -0.5 + (global_mask if is_global else sliding_mask)
        ctx = (torch.softmax(scores, dim=-1) @ v).transpose(1, 2).reshape(b, seq, HIDDEN)
        x = x + ctx @ sd[l + "attn.Wo.weight"].T
        inp, gate = (ln(l + "mlp_norm", x) @ sd[l + "mlp.Wi.weight"].T).chunk(2, dim=-1)
        x = x + (act(inp) * gate) @ sd[l + "mlp.Wo.weight"].T
    return ln(p + "final_norm", x)


# ---------------------------------------------------------------- fixtures

def inputs(gen, pad_id, first_free_id, with_types):
    ids = torch.full((len(LENGTHS), WIDTH), pad_id, dtype=torch.long)
    types = torch.zeros((len(LENGTHS), WIDTH), dtype=torch.long)
    mask = torch.zeros((len(LENGTHS), WIDTH), dtype=torch.long)
    for r, n in enumerate(LENGTHS):
        ids[r, :n] = torch.randint(first_free_id, VOCAB, (n,), generator=gen)
        mask[r, :n] = 1
        if with_types:
            types[r, n // 2:n] = 1  # a sentence pair: second half is segment B
    return ids, types, mask


def write_safetensors(path, sd):
    header, blobs, offset = {}, [], 0
    for name in sorted(sd):
        data = sd[name].contiguous().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(sd[name].shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def rounded(t):
    return [float("%.7g" % v) for v in t.flatten().tolist()]


def write_fixture(arch, config, sd, ids, types, mask, hidden, logits, vocab):
    d = os.path.join(OUT, arch)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
    write_safetensors(os.path.join(d, "model.safetensors"), sd)
    with open(os.path.join(d, "vocab.txt"), "w") as f:
        f.write("\n".join(vocab) + "\n")
    ref = {"input_ids": ids.tolist(), "token_type_ids": types.tolist(),
           "attention_mask": mask.tolist(), "hidden_shape": list(hidden.shape),
           "last_hidden_state": rounded(hidden)}
    if logits is not None:
        ref["logits_shape"] = list(logits.shape)
        ref["logits"] = rounded(logits)
    with open(os.path.join(d, "reference.json"), "w") as f:
        json.dump(ref, f)


def bert_vocab():
    return ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + ["w%d" % i for i in range(VOCAB - 5)]


def roberta_vocab():
    # The parity test feeds token ids directly; this stand-in vocabulary only lets the importer
    # build a tokenizer. Ids 0-3 are RoBERTa's <s>, <pad>, </s>, <unk>.
    return ["[CLS]", "[PAD]", "[SEP]", "[UNK]", "[MASK]"] + ["w%d" % i for i in range(VOCAB - 5)]


def make_bert():
    gen = torch.Generator().manual_seed(17)
    eps = 1e-12
    sd = bert_like_weights(gen, "bert.", 40, 2)
    sd["bert.pooler.dense.weight"] = rand(gen, HIDDEN, HIDDEN)
    sd["bert.pooler.dense.bias"] = rand(gen, HIDDEN, std=0.1)
    sd["classifier.weight"] = rand(gen, 3, HIDDEN)
    sd["classifier.bias"] = rand(gen, 3, std=0.1)
    ids, types, mask = inputs(gen, 0, 5, True)
    with torch.no_grad():
        pos = torch.arange(WIDTH)[None, :].expand(len(LENGTHS), WIDTH)
        h = bert_like_encoder(sd, "bert.", ids, types, mask, pos, gelu, eps)
        pooled = torch.tanh(linear(sd, "bert.pooler.dense", h[:, 0]))  # BertPooler
        logits = linear(sd, "classifier", pooled)  # BertForSequenceClassification
    config = {"architectures": ["BertForSequenceClassification"], "model_type": "bert",
              "vocab_size": VOCAB, "hidden_size": HIDDEN, "num_hidden_layers": LAYERS,
              "num_attention_heads": HEADS, "intermediate_size": INTERMEDIATE,
              "max_position_embeddings": 40, "type_vocab_size": 2, "layer_norm_eps": eps,
              "hidden_act": "gelu", "pad_token_id": 0,
              "id2label": {"0": "negative", "1": "neutral", "2": "positive"},
              "label2id": {"negative": 0, "neutral": 1, "positive": 2},
              "problem_type": "single_label_classification"}
    write_fixture("bert", config, sd, ids, types, mask, h, logits, bert_vocab())


def make_roberta():
    """A bare RobertaModel saved without its 'roberta.' prefix: only model_type says RoBERTa."""
    gen = torch.Generator().manual_seed(18)
    eps = 1e-5
    pad = 1
    max_pos = 40 + pad + 1
    sd = bert_like_weights(gen, "", max_pos, 1)
    ids, types, mask = inputs(gen, pad, 4, False)
    with torch.no_grad():
        h = bert_like_encoder(sd, "", ids, types, mask, roberta_position_ids(ids, pad), gelu_new,
                              eps)
    config = {"architectures": ["RobertaModel"], "model_type": "roberta", "vocab_size": VOCAB,
              "hidden_size": HIDDEN, "num_hidden_layers": LAYERS, "num_attention_heads": HEADS,
              "intermediate_size": INTERMEDIATE, "max_position_embeddings": max_pos,
              "type_vocab_size": 1, "layer_norm_eps": eps, "hidden_act": "gelu_new",
              "pad_token_id": pad, "bos_token_id": 0, "eos_token_id": 2}
    write_fixture("roberta", config, sd, ids, types, mask, h, None, roberta_vocab())


def make_xlm_roberta():
    """XLMRobertaForSequenceClassification, multi-label: RobertaClassificationHead on <s>."""
    gen = torch.Generator().manual_seed(19)
    eps = 1e-5
    pad = 1
    max_pos = 40 + pad + 1
    sd = bert_like_weights(gen, "roberta.", max_pos, 1)
    sd["classifier.dense.weight"] = rand(gen, HIDDEN, HIDDEN)
    sd["classifier.dense.bias"] = rand(gen, HIDDEN, std=0.1)
    sd["classifier.out_proj.weight"] = rand(gen, 4, HIDDEN)
    sd["classifier.out_proj.bias"] = rand(gen, 4, std=0.1)
    ids, types, mask = inputs(gen, pad, 4, False)
    with torch.no_grad():
        h = bert_like_encoder(sd, "roberta.", ids, types, mask, roberta_position_ids(ids, pad),
                              gelu, eps)
        x = torch.tanh(linear(sd, "classifier.dense", h[:, 0]))
        logits = linear(sd, "classifier.out_proj", x)
    labels = ["insult", "threat", "obscene", "spam"]
    config = {"architectures": ["XLMRobertaForSequenceClassification"],
              "model_type": "xlm-roberta", "vocab_size": VOCAB, "hidden_size": HIDDEN,
              "num_hidden_layers": LAYERS, "num_attention_heads": HEADS,
              "intermediate_size": INTERMEDIATE, "max_position_embeddings": max_pos,
              "type_vocab_size": 1, "layer_norm_eps": eps, "hidden_act": "gelu",
              "pad_token_id": pad, "id2label": {str(i): l for i, l in enumerate(labels)},
              "label2id": {l: i for i, l in enumerate(labels)},
              "problem_type": "multi_label_classification"}
    write_fixture("xlm-roberta", config, sd, ids, types, mask, h, logits, roberta_vocab())


def make_distilbert():
    """DistilBertForSequenceClassification: pre_classifier, ReLU, classifier on [CLS]."""
    gen = torch.Generator().manual_seed(20)
    sd = distilbert_weights(gen, 40)
    sd["pre_classifier.weight"] = rand(gen, HIDDEN, HIDDEN)
    sd["pre_classifier.bias"] = rand(gen, HIDDEN, std=0.1)
    sd["classifier.weight"] = rand(gen, 2, HIDDEN)
    sd["classifier.bias"] = rand(gen, 2, std=0.1)
    ids, types, mask = inputs(gen, 0, 5, False)
    with torch.no_grad():
        h = distilbert_encoder(sd, ids, mask, torch.relu)
        x = torch.relu(linear(sd, "pre_classifier", h[:, 0]))
        logits = linear(sd, "classifier", x)
    config = {"architectures": ["DistilBertForSequenceClassification"], "model_type": "distilbert",
              "vocab_size": VOCAB, "dim": HIDDEN, "n_layers": LAYERS, "n_heads": HEADS,
              "hidden_dim": INTERMEDIATE, "max_position_embeddings": 40, "activation": "relu",
              "sinusoidal_pos_embds": True, "pad_token_id": 0,
              "id2label": {"0": "clean", "1": "toxic"}, "label2id": {"clean": 0, "toxic": 1}}
    write_fixture("distilbert", config, sd, ids, types, mask, h, logits, bert_vocab())


def make_modernbert():
    """ModernBertForSequenceClassification with mean pooling: head (dense, GELU, LayerNorm), classifier."""
    gen = torch.Generator().manual_seed(21)
    eps = 1e-5
    sd = modernbert_weights(gen)
    sd["head.dense.weight"] = rand(gen, HIDDEN, HIDDEN)
    sd["head.norm.weight"] = rand(gen, HIDDEN, std=0.1, mean=1.0)
    sd["classifier.weight"] = rand(gen, 3, HIDDEN)
    sd["classifier.bias"] = rand(gen, 3, std=0.1)
    ids, types, mask = inputs(gen, 0, 5, False)
    with torch.no_grad():
        h = modernbert_encoder(sd, ids, mask, gelu, eps)
        m = mask.unsqueeze(-1).float()
        pooled = (h * m).sum(dim=1) / m.sum(dim=1)  # classifier_pooling "mean"
        x = torch.nn.functional.layer_norm(
            gelu(pooled @ sd["head.dense.weight"].T), (HIDDEN,), sd["head.norm.weight"], None, eps)
        logits = linear(sd, "classifier", x)
    config = {"architectures": ["ModernBertForSequenceClassification"], "model_type": "modernbert",
              "vocab_size": VOCAB, "hidden_size": HIDDEN, "num_hidden_layers": LAYERS,
              "num_attention_heads": HEADS, "intermediate_size": INTERMEDIATE,
              "max_position_embeddings": 64, "norm_eps": eps, "norm_bias": False,
              "attention_bias": False, "mlp_bias": False, "hidden_activation": "gelu",
              "global_rope_theta": 160000.0, "local_rope_theta": 10000.0,
              "global_attn_every_n_layers": MODERN_GLOBAL_EVERY,
              "local_attention": MODERN_LOCAL_WINDOW, "pad_token_id": 0,
              "classifier_pooling": "mean", "classifier_activation": "gelu",
              "classifier_bias": False,
              "id2label": {"0": "billing", "1": "shipping", "2": "other"},
              "label2id": {"billing": 0, "shipping": 1, "other": 2}}
    write_fixture("modernbert", config, sd, ids, types, mask, h, logits, bert_vocab())


if __name__ == "__main__":
    make_bert()
    make_roberta()
    make_xlm_roberta()
    make_distilbert()
    make_modernbert()
