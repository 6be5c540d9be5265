#!/usr/bin/env python3
"""bench/classify-count-baselines.py FILE.tsv ... -- what counting gets on classify.

The held-out quarter of each class, as the classify task holds it out
(core/gs-task-text.c), judged with the majority class and with naive Bayes
(add-one smoothing) over words, characters and character pairs. The task
draws one split from its seed; this measures 50 random stratified splits and
prints the mean and the range. The README quotes its output for the shipped
files: bench/classify-count-baselines.py assets/tasks/classify-*.tsv
"""
import collections
import math
import random
import sys

FEATURES = {
    "words": lambda p: p.split(),
    "chars": lambda p: list(p),
    "char-pairs": lambda p: [p[i:i + 2] for i in range(len(p) - 1)],
}


def read_examples(path):
    examples = []
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\r\n")
        if not line or line.startswith("#") or line.startswith("@classes"):
            continue
        label, phrase = line.split("\t", 1)
        examples.append((label, phrase))
    return examples


def split(examples, labels, rng, valid=0.25):
    train, held = [], []
    for label in labels:
        of_class = [e for e in examples if e[0] == label]
        rng.shuffle(of_class)
        k = min(max(1, round(valid * len(of_class))), len(of_class) - 1)
        held += of_class[:k]
        train += of_class[k:]
    return train, held


def naive_bayes(train, labels, feature):
    prior = collections.Counter(label for label, _ in train)
    counts = {label: collections.Counter() for label in labels}
    for label, phrase in train:
        counts[label].update(feature(phrase))
    vocab = {w for label in labels for w in counts[label]}
    totals = {label: sum(counts[label].values()) for label in labels}

    def classify(phrase):
        def score(label):
            return math.log(prior[label]) + sum(
                math.log((counts[label][w] + 1) / (totals[label] + len(vocab))) for w in feature(phrase))
        return max(labels, key=score)
    return classify


def main():
    for path in sys.argv[1:]:
        examples = read_examples(path)
        labels = sorted({label for label, _ in examples})
        scores = collections.defaultdict(list)
        for seed in range(50):
            train, held = split(examples, labels, random.Random(seed))
            majority = collections.Counter(label for label, _ in train).most_common(1)[0][0]
            scores["majority"].append(sum(label == majority for label, _ in held) / len(held))
            for name, feature in FEATURES.items():
                classify = naive_bayes(train, labels, feature)
                scores["naive Bayes, " + name].append(
                    sum(classify(phrase) == label for label, phrase in held) / len(held))
        print(f"{path}: {len(examples)} examples")
        for name, values in scores.items():
            print(f"  {name:24} {100 * sum(values) / len(values):5.1f} % "
                  f"({100 * min(values):.0f}–{100 * max(values):.0f} %)")


if __name__ == "__main__":
    main()
