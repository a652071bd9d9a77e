"""Shared machinery of the seed-data generator: pools split between train and dev, slot filling.

Every hand-written list is a Pool. Its items are dealt to train and dev by position (every fifth item
to dev), so a dev line is built only from parts that no train line uses: dev measures how the heads
generalise to phrasings they have not seen, not how well they memorised the seed set. Decorations
(emoji, "lol", @USER, casing) are the exception: they are shared, since they carry no label.
"""
import random
import re

SPLITS = ("train", "dev")


class Pool:
    """A hand-written list dealt to train (4 of 5 items) and dev (every fifth item)."""

    def __init__(self, items, shared=False):
        items = [i for i in items if i]
        if shared or len(items) < 5:
            self.parts = {"train": items, "dev": items}
        else:
            self.parts = {
                "train": [x for i, x in enumerate(items) if i % 5 != 4],
                "dev": [x for i, x in enumerate(items) if i % 5 == 4],
            }

    def pick(self, rnd, split):
        return rnd.choice(self.parts[split])

    def all(self, split):
        return self.parts[split]


SLOT = re.compile(r"\{(\w+)\}")


def fill(template, slots, rnd, split):
    """Replaces every {name} in template with a pick from slots[name] (recursively)."""

    def sub(m):
        v = slots[m.group(1)]
        text = v.pick(rnd, split) if isinstance(v, Pool) else rnd.choice(v)
        return fill(text, slots, rnd, split) if "{" in text else text

    return SLOT.sub(sub, template)


def clean(text):
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r" ([,.!?;:])", r"\1", text)
    return text.replace("\t", " ")


def ptb(text):
    """Lower-cased, Penn-Treebank-tokenised rendering (it 's, do n't, spaced punctuation), as film
    critics' sentences appear in research corpora."""
    t = text.lower()
    t = re.sub(r"n't\b", " n't", t)
    t = re.sub(r"'(s|re|ve|ll|d|m)\b", r" '\1", t)
    t = re.sub(r"([,.!?;:])", r" \1 ", t)
    return re.sub(r"\s+", " ", t).strip()


def normalise(text):
    return re.sub(r"\W+", " ", text.lower()).strip()


def rng(*key):
    return random.Random("/".join(str(k) for k in key))
