#!/usr/bin/env python3
"""Writes the seed data of the default bundles (models/tools/data): English sentiment and toxicity, Chinese
sentiment, toxicity and intent. Deterministic: the same script writes the same files.

Usage: python3 models/tools/data/generator/seedgen.py   (from anywhere; writes beside this folder)

Lines are composed from hand-written parts (the modules en_*.py and zh_*.py) with register variations:
tweets (@USER, hashtags, URL), casing, critic-style tokenised text. Dev lines come only from parts that train
never uses (common.Pool), and no line is in both splits. English intent (intent/*.tsv) is hand-kept, not
generated here.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import clean, normalise, ptb, rng  # noqa: E402
import en_sentiment  # noqa: E402
import en_toxicity  # noqa: E402
import zh_sentiment  # noqa: E402
import zh_toxicity  # noqa: E402
import zh_intent  # noqa: E402

DATA = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HASHTAGS = ["#movies", "#review", "#nowwatching", "#tech", "#food", "#travel", "#monday", "#sports", "#tv"]


def english_register(text, rnd):
    """One of several ways people write: as typed, capitalised, tweeted, shouted, or critic-tokenised."""
    r = rnd.random()
    if r < 0.18:
        return ptb(text).replace("@user", "@USER").replace(" url", " URL")
    if r < 0.40:
        t = text[:1].upper() + text[1:]
        return t if t[-1:] in ".!?)" or not t[-1:].isalnum() else t + "."
    if r < 0.58:
        t = text if text.startswith("@USER") else "@USER " + text
        if rnd.random() < 0.5:
            t += " " + rnd.choice(HASHTAGS)
        if rnd.random() < 0.3:
            t += " URL"
        return t
    if r < 0.63:
        return text.upper()
    return text


def chinese_register(text, rnd):
    r = rnd.random()
    if r < 0.15:
        return "@用户 " + text
    if r < 0.25:
        return text + rnd.choice(["！", "。", "～", "!!", "…", "。。。", "😂", "🙄", "[doge]"])
    return text


def generate(module, counts, register, name):
    """counts: label -> (train, dev) line counts. Returns split -> list of (text, label)."""
    out = {"train": [], "dev": []}
    seen = set()
    for split in ("train", "dev"):
        for label, (n_train, n_dev) in counts.items():
            want = n_train if split == "train" else n_dev
            rnd = rng(name, split, label)
            got, tries = 0, 0
            while got < want and tries < want * 40:
                tries += 1
                text = clean(register(clean(module.line(label, rnd, split)), rnd))
                key = normalise(text)
                if not key or key in seen:
                    continue
                seen.add(key)
                out[split].append((text, label))
                got += 1
            if got < want:
                print(f"{name} {split} {label}: only {got} distinct lines of {want}", file=sys.stderr)
        rng(name, split, "shuffle").shuffle(out[split])
    return out


def write(rel, rows):
    path = os.path.join(DATA, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        for text, label in rows:
            f.write(f"{text}\t{label}\n")


def main():
    sets = {
        "sentiment": generate(
            en_sentiment,
            {"negative": (1300, 220), "neutral": (700, 140), "positive": (1300, 220)},
            english_register, "en-sentiment"),
        "toxicity": generate(
            en_toxicity, {"not_toxic": (1300, 260), "toxic": (1000, 200)}, english_register, "en-toxicity"),
        "zh/sentiment": generate(
            zh_sentiment,
            {"negative": (800, 120), "neutral": (400, 50), "positive": (800, 120)},
            chinese_register, "zh-sentiment"),
        "zh/toxicity": generate(
            zh_toxicity, {"not_toxic": (800, 160), "toxic": (700, 140)}, chinese_register, "zh-toxicity"),
        "zh/intent": generate(zh_intent, zh_intent.COUNTS, chinese_register, "zh-intent"),
    }
    for name, splits in sets.items():
        for split, rows in splits.items():
            write(f"{name}/{split}.tsv", rows)
        counts = {}
        for split, rows in splits.items():
            for _, label in rows:
                counts.setdefault(split, {}).setdefault(label, 0)
                counts[split][label] += 1
        for split in ("train", "dev"):
            print(f"| {name} | {split} | " + ", ".join(f"{k} {v}" for k, v in sorted(counts[split].items())) + " |")


if __name__ == "__main__":
    main()
