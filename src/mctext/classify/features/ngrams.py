"""Character n-gram TF-IDF at inference time, without sklearn's per-n-gram Python loop.

sklearn's ``char_wb`` analyzer builds every n-gram as a Python string and looks it up
in a dict: about 40% of the classifier's time per segment in the pipeline. This module
computes the *same* matrix as a fitted ``TfidfVectorizer.transform`` with numpy: each
word, padded with one space on either side as sklearn does, becomes a run of code
points; every window of 2..5 code points inside a padded word is hashed (64-bit
polynomial, rolling over n) and looked up in the sorted hashes of the fitted
vocabulary. The counts then get sklearn's sublinear tf, idf and l2 norm.

Only the settings the default model uses are accepted (``supports``); anything else
goes through sklearn unchanged. ``tests/test_ngrams.py`` checks the two agree on the
seed annotations and on text in every corpus language.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import sparse

_MULTIPLIER = np.uint64(0x100000001B3)  # odd 64-bit multiplier (FNV prime): arithmetic wraps mod 2**64
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: spreads short n-grams' small hashes over the table


def supports(vectorizer: Any) -> bool:
    """Whether ``vectorizer`` is a fitted TfidfVectorizer this module reproduces exactly."""
    return (
        type(vectorizer).__name__ == "TfidfVectorizer"
        and getattr(vectorizer, "analyzer", None) == "char_wb"
        and vectorizer.lowercase
        and vectorizer.preprocessor is None
        and vectorizer.strip_accents is None
        and not vectorizer.binary
        and vectorizer.norm in ("l2", None)
        and hasattr(vectorizer, "vocabulary_")
        and (not vectorizer.use_idf or hasattr(vectorizer, "idf_"))
    )


def _hash_windows(codes: np.ndarray, n: int) -> np.ndarray:
    """Hash of every length-``n`` window of ``codes`` (uint64, len(codes) - n + 1 values)."""
    h = np.zeros(len(codes) - n + 1, dtype=np.uint64)
    for k in range(n):
        h = h * _MULTIPLIER + codes[k: len(codes) - n + 1 + k]
    return h


def _code_points(text: str) -> np.ndarray:
    # +1 so that no code point hashes as zero (a leading zero would not change the hash)
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.uint64) + np.uint64(1)


class CharNgramTfidf:
    """A fitted char_wb ``TfidfVectorizer``'s ``transform``, vectorised (same output).

    Holds plain data only (terms, their columns, idf, settings): ``arrays``/``settings``
    are what a saved model stores, ``from_vectorizer`` what training builds it from.
    """

    def __init__(
        self, terms: list[str], columns: np.ndarray, idf: np.ndarray | None, *, ngram_range: tuple[int, int],
        sublinear_tf: bool, norm: str | None, dtype: str = "float32",
    ) -> None:
        self.terms, self.columns = list(terms), np.asarray(columns, dtype=np.int64)
        self.min_n, self.max_n = int(ngram_range[0]), int(ngram_range[1])
        self.sublinear_tf, self.norm, self.dtype = bool(sublinear_tf), norm, np.dtype(dtype)
        self.n_features = len(self.terms)
        self.idf = None if idf is None else np.asarray(idf, dtype=np.float64)
        self._index(self.terms, self.columns)

    @classmethod
    def from_vectorizer(cls, vectorizer: Any) -> CharNgramTfidf:
        if not supports(vectorizer):
            raise ValueError("only fitted char_wb TfidfVectorizers with default preprocessing are supported")
        terms = list(vectorizer.vocabulary_)
        return cls(
            terms, np.fromiter(vectorizer.vocabulary_.values(), dtype=np.int64, count=len(terms)),
            vectorizer.idf_ if vectorizer.use_idf else None, ngram_range=vectorizer.ngram_range,
            sublinear_tf=vectorizer.sublinear_tf, norm=vectorizer.norm, dtype=np.dtype(vectorizer.dtype).name,
        )

    def settings(self) -> dict[str, Any]:
        return {"ngram_range": [self.min_n, self.max_n], "sublinear_tf": self.sublinear_tf, "norm": self.norm,
                "dtype": self.dtype.name}

    def arrays(self) -> dict[str, np.ndarray]:
        out = {"terms": np.asarray(self.terms, dtype=str), "columns": self.columns}
        if self.idf is not None:
            out["idf"] = self.idf
        return out

    def _index(self, terms: list[str], columns: np.ndarray) -> None:
        """Hash every term into an open-addressing table (column per hash)."""
        hashes = np.empty(len(terms), dtype=np.uint64)
        for length in {len(t) for t in terms}:
            picked = [i for i, t in enumerate(terms) if len(t) == length]
            codes = _code_points("".join(terms[i] for i in picked))
            hashes[picked] = _hash_windows(codes, length)[::length]
        self._table_bits = max(10, int(np.ceil(np.log2(max(len(terms), 1) * 8))))  # load factor <= 1/8
        size = 1 << self._table_bits
        self._keys = np.zeros(size, dtype=np.uint64)
        self._cols = np.full(size, -1, dtype=np.int64)
        self._max_probe = 0
        mask = size - 1
        for key, column in zip(self._home(hashes).tolist(), range(len(terms)), strict=True):
            probe = 0
            while self._cols[(key + probe) & mask] != -1:
                if self._keys[(key + probe) & mask] == hashes[column]:
                    raise ValueError("two vocabulary n-grams share a hash; use sklearn's transform")
                probe += 1
            self._keys[(key + probe) & mask], self._cols[(key + probe) & mask] = hashes[column], columns[column]
            self._max_probe = max(self._max_probe, probe)

    def _home(self, keys: np.ndarray) -> np.ndarray:
        return ((keys * _GOLDEN) >> np.uint64(64 - self._table_bits)).astype(np.int64)

    def _lookup(self, keys: np.ndarray) -> np.ndarray:
        """Column of each hashed n-gram, -1 when it is not in the vocabulary (linear probing)."""
        mask = (1 << self._table_bits) - 1
        home = self._home(keys)
        found = np.full(len(keys), -1, dtype=np.int64)
        pending = np.arange(len(keys))
        for probe in range(self._max_probe + 1):
            slot = (home[pending] + probe) & mask
            hit = self._keys[slot] == keys[pending]
            found[pending[hit]] = self._cols[slot[hit]]
            pending = pending[~hit & (self._cols[slot] != -1)]
            if not len(pending):
                break
        return found

    def counts(self, texts: list[str]) -> sparse.csr_matrix:
        """Term counts (n_texts x n_features) exactly as CountVectorizer would give them."""
        lengths: list[int] = []  # padded word lengths
        owners: list[int] = []  # text index of each word
        pieces: list[str] = []
        for row, text in enumerate(texts):
            words = text.lower().split()
            if not words:
                continue
            pieces.append(" " + "  ".join(words) + " ")
            lengths.extend(map(len, words))  # + 2 (the padding) below, for all words at once
            owners.extend([row] * len(words))
        shape = (len(texts), self.n_features)
        if not pieces:
            return sparse.csr_matrix(shape, dtype=self.dtype)
        codes = _code_points("".join(pieces))
        word_lengths = np.asarray(lengths, dtype=np.int64) + 2
        word_ends = np.cumsum(word_lengths)
        end_of = np.repeat(word_ends, word_lengths)  # for each position: end of its padded word
        row_of = np.repeat(np.asarray(owners, dtype=np.int64), word_lengths)
        positions = np.arange(len(codes), dtype=np.int64)
        rows, cols = [], []
        for n in range(self.min_n, self.max_n + 1):
            if len(codes) < n:
                break
            keys = _hash_windows(codes, n)
            inside = positions[: len(keys)] + n <= end_of[: len(keys)]
            keys, starts = keys[inside], positions[: len(keys)][inside]
            column = self._lookup(keys)
            found = column >= 0
            rows.append(row_of[starts[found]])
            cols.append(column[found])
        # one sort of (row, column) keys gives the counts, rows in order, columns sorted within rows
        cells, counts = np.unique(np.concatenate(rows) * self.n_features + np.concatenate(cols), return_counts=True)
        row, column = np.divmod(cells, self.n_features)
        indptr = np.zeros(len(texts) + 1, dtype=np.int64)
        np.cumsum(np.bincount(row, minlength=len(texts)), out=indptr[1:])
        return sparse.csr_matrix((counts.astype(self.dtype), column, indptr), shape=shape)

    def transform(self, texts: list[str]) -> sparse.csr_matrix:
        """TF-IDF rows: sublinear tf, idf and l2 norm as the fitted vectorizer applies them."""
        x = self.counts(texts)
        if self.sublinear_tf:
            np.log(x.data, x.data)
            x.data += 1.0
        if self.idf is not None:
            x.data *= self.idf[x.indices]
        if self.norm == "l2":
            per_row = np.diff(x.indptr)
            squares = np.bincount(np.repeat(np.arange(x.shape[0]), per_row), weights=x.data.astype(np.float64) ** 2,
                                  minlength=x.shape[0])
            norms = np.sqrt(squares)
            x.data *= np.repeat(1.0 / np.where(norms > 0, norms, 1.0), per_row)
        return x
