/* jieba's precise-mode segmentation (no HMM) in C, returning only what tweetpulse keeps.
 *
 * Why: rjieba (jieba-rs) segments a Weibo post in a few microseconds, but hands back every
 * token, one Python string each (~43 per post: every punctuation mark, every single character),
 * and building those strings costs more than the segmentation. Keyphrases keep only words of
 * two or more characters that are not plain ASCII (~6 per post). ``Dict.words`` runs the same
 * algorithm and builds only those strings; ``Dict.cut`` returns every token, so tests can check
 * both against rjieba token for token (tests/unit/test_segcut.py). ``Dict.words(text, drop)``
 * also drops, without making their strings, the tokens the keyphrases drop (not all letters or
 * digits, or among the ``Dict.drop`` words: never nouns, stopwords): a Weibo post's ~12 such
 * tokens cost ~5% of its instructions as Python strings, hashed and looked up.
 *
 * The algorithm (jieba's, as jieba-rs implements it), written here from its description:
 *   1. split the text into blocks: maximal runs of CJK ideographs, ASCII letters and digits and
 *      "+#&._%-"; every other character is a token of its own ("\r\n" is one token);
 *   2. per block, the DAG of dictionary words starting at each character;
 *   3. the best route from the end: at each character the edge maximizing
 *      (ln(freq) - ln(total) + best[end], end) (ln(1) for a character no word starts with);
 *   4. the route's words in order, runs of single ASCII letters/digits glued into one token.
 * User words get jieba-rs's suggested frequency (the product of their current pieces'
 * probabilities, + 1), and change the total, in the order they are added.
 *
 * The dictionary is a hash table of every word and every prefix of a word (a prefix that is no
 * word has is_word 0), keyed by code points, so the DAG walk extends a match one character at a
 * time and stops at the first miss. Written for tweetpulse; built by ``tweetpulse native build``.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#ifdef __linux__
#include <sys/mman.h>
#endif

/* The dictionary is a trie: node 0 is the root; a word's last node has is_word set. A
 * transition (parent node, next code point) -> child lives in an open-addressing hash table,
 * but the root's transitions on BMP characters (nearly every first character) in a direct
 * array. */
typedef struct {
    uint32_t parent;
    uint32_t ch;
    uint32_t child; /* 0: an empty slot */
} Slot;

typedef struct {
    PyObject_HEAD
    uint32_t *root_bmp; /* 65536 children of the root, 0 when none */
    Slot *slots;
    size_t cap; /* a power of two */
    size_t used;
    /* per node */
    uint8_t *is_word;
    uint64_t *freq;
    double *log_freq;
    uint32_t nodes, node_cap;
    uint64_t total;
    /* scratch for one block */
    double *best;
    Py_ssize_t *end;
    uint32_t *node_at; /* the node of the word d->end[i] ends (0 for a lone character) */
    Py_ssize_t scratch_cap;
} DictObject;

/* Drop(dict, words): which of the dictionary's words a keyphrase never is, marked once per
 * trie node (Dict.drop); words() with one builds no string for a token it drops. */
typedef struct {
    PyObject_HEAD
    PyObject *dict;    /* the DictObject marked */
    PyObject *words;   /* the frozenset of str (looked up for nodes made after the marking) */
    uint8_t *dropped;  /* per node of the dictionary then: 1 when its word is in `words` */
    uint32_t marked;   /* how many nodes the dictionary had then */
} DropObject;

static PyTypeObject DropType;

/* A zeroed table the walk reads at random: on 2 MB pages where the kernel offers them (one TLB
 * entry covers what 512 small pages need: most lookups would otherwise miss the TLB). Freed
 * with free(). */
static void *table_alloc(size_t bytes) {
    const size_t huge = (size_t)2 << 20;
    void *p = NULL;
    if (bytes >= huge) {
        size_t rounded = (bytes + huge - 1) / huge * huge;
        if (posix_memalign(&p, huge, rounded) != 0) p = NULL;
#ifdef MADV_HUGEPAGE
        if (p != NULL) madvise(p, rounded, MADV_HUGEPAGE);
#endif
    } else {
        p = malloc(bytes);
    }
    if (p != NULL) memset(p, 0, bytes);
    return p;
}

static inline size_t slot_hash(uint32_t parent, uint32_t ch) {
    uint64_t h = ((uint64_t)parent << 21) ^ (uint64_t)ch;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return (size_t)h;
}

static int is_cjk(Py_UCS4 c) {
    return (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x2A6DF) ||
           (c >= 0x2A700 && c <= 0x2B73F) || (c >= 0x2B740 && c <= 0x2B81F) ||
           (c >= 0x2B820 && c <= 0x2CEAF) || (c >= 0x2CEB0 && c <= 0x2EBEF) ||
           (c >= 0x2F800 && c <= 0x2FA1F);
}

static int is_ascii_alnum(Py_UCS4 c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int in_block(Py_UCS4 c) {
    return is_cjk(c) || is_ascii_alnum(c) || c == '+' || c == '#' || c == '&' || c == '.' ||
           c == '_' || c == '%' || c == '-';
}

/* The child of `node` on `c`, 0 when there is none. */
static inline uint32_t child_of(const DictObject *d, uint32_t node, Py_UCS4 c) {
    if (node == 0 && c < 0x10000) return d->root_bmp[c];
    size_t mask = d->cap - 1;
    for (size_t i = slot_hash(node, c) & mask;; i = (i + 1) & mask) {
        const Slot *s = &d->slots[i];
        if (s->child == 0) return 0;
        if (s->parent == node && s->ch == c) return s->child;
    }
}

static int grow_slots(DictObject *d) {
    size_t new_cap = d->cap ? d->cap * 2 : 1 << 16;
    Slot *fresh = table_alloc(new_cap * sizeof(Slot));
    if (fresh == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    size_t mask = new_cap - 1;
    for (size_t k = 0; k < d->cap; k++) {
        Slot s = d->slots[k];
        if (s.child == 0) continue;
        size_t i = slot_hash(s.parent, s.ch) & mask;
        while (fresh[i].child != 0) i = (i + 1) & mask;
        fresh[i] = s;
    }
    free(d->slots);
    d->slots = fresh;
    d->cap = new_cap;
    return 0;
}

static uint32_t new_node(DictObject *d) {
    if (d->nodes == d->node_cap) {
        uint32_t cap = d->node_cap ? d->node_cap * 2 : 1 << 16;
        uint8_t *is_word = PyMem_Realloc(d->is_word, cap);
        if (is_word == NULL) goto nomem;
        d->is_word = is_word;
        uint64_t *freq = PyMem_Realloc(d->freq, cap * sizeof(uint64_t));
        if (freq == NULL) goto nomem;
        d->freq = freq;
        double *log_freq = PyMem_Realloc(d->log_freq, cap * sizeof(double));
        if (log_freq == NULL) goto nomem;
        d->log_freq = log_freq;
        d->node_cap = cap;
    }
    d->is_word[d->nodes] = 0;
    d->freq[d->nodes] = 0;
    d->log_freq[d->nodes] = 0.0;
    return d->nodes++;
nomem:
    PyErr_NoMemory();
    return 0;
}

/* The child of `node` on `c`, added when missing; 0 on memory error. */
static uint32_t add_child(DictObject *d, uint32_t node, Py_UCS4 c) {
    uint32_t found = child_of(d, node, c);
    if (found) return found;
    uint32_t child = new_node(d);
    if (child == 0) return 0;
    if (node == 0 && c < 0x10000) {
        d->root_bmp[c] = child;
        return child;
    }
    if ((d->used + 1) * 2 > d->cap && grow_slots(d) < 0) return 0;
    size_t mask = d->cap - 1;
    size_t i = slot_hash(node, c) & mask;
    while (d->slots[i].child != 0) i = (i + 1) & mask;
    d->slots[i].parent = node;
    d->slots[i].ch = (uint32_t)c;
    d->slots[i].child = child;
    d->used++;
    return child;
}

static int setup(DictObject *d) {
    if (d->root_bmp != NULL) return 0;
    d->root_bmp = PyMem_Calloc(0x10000, sizeof(uint32_t));
    if (d->root_bmp == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    if (grow_slots(d) < 0) return -1;
    return new_node(d) == 0 ? 0 : -1; /* the root is node 0 */
}

/* Set word `chars` to `freq`; returns the previous frequency of the word, or -1 when it was
 * no word; -2 on memory error. */
static long long set_word(DictObject *d, const Py_UCS4 *chars, uint32_t len, uint64_t freq) {
    uint32_t node = 0;
    for (uint32_t k = 0; k < len; k++) {
        node = add_child(d, node, chars[k]);
        if (node == 0) return -2;
    }
    long long previous = d->is_word[node] ? (long long)d->freq[node] : -1;
    d->is_word[node] = 1;
    d->freq[node] = freq;
    d->log_freq[node] = log((double)freq);
    return previous;
}

static int ensure_scratch(DictObject *d, Py_ssize_t n) {
    if (n + 1 <= d->scratch_cap) return 0;
    Py_ssize_t cap = d->scratch_cap ? d->scratch_cap : 256;
    while (cap < n + 1) cap *= 2;
    double *best = PyMem_Realloc(d->best, cap * sizeof(double));
    if (best == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    d->best = best;
    Py_ssize_t *end = PyMem_Realloc(d->end, cap * sizeof(Py_ssize_t));
    if (end == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    d->end = end;
    uint32_t *node_at = PyMem_Realloc(d->node_at, cap * sizeof(uint32_t));
    if (node_at == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    d->node_at = node_at;
    d->scratch_cap = cap;
    return 0;
}

/* The best route through the block [start, stop) of the string: d->end[i - start] is where the
 * word starting at character i ends. */
static int route(DictObject *d, int kind, const void *data, Py_ssize_t start, Py_ssize_t stop) {
    Py_ssize_t n = stop - start;
    if (ensure_scratch(d, n) < 0) return -1;
    double logtotal = log((double)d->total);
    double log1 = 0.0 - logtotal;
    double *best = d->best;
    Py_ssize_t *end = d->end;
    uint32_t *node_at = d->node_at;
    best[n] = 0.0;
    end[n] = 0;
    node_at[n] = 0;
    for (Py_ssize_t i = n - 1; i >= 0; i--) {
        int found = 0;
        double top = 0.0;
        Py_ssize_t top_end = 0;
        uint32_t top_node = 0;
        uint32_t node = 0;
        for (Py_ssize_t j = i; j < n; j++) {
            node = child_of(d, node, PyUnicode_READ(kind, data, start + j));
            if (node == 0) break;
            if (!d->is_word[node]) continue;
            double score = d->log_freq[node] - logtotal + best[j + 1];
            /* the largest (score, end): a later end wins a tie */
            if (!found || score > top || (score == top && j + 1 > top_end)) {
                top = score;
                top_end = j + 1;
                top_node = node;
                found = 1;
            }
        }
        if (!found) {
            top = log1 + best[i + 1];
            top_end = i + 1;
        }
        best[i] = top;
        end[i] = top_end;
        node_at[i] = top_node;
    }
    return 0;
}

static int append_sub(PyObject *out, PyObject *text, Py_ssize_t a, Py_ssize_t b) {
    PyObject *s = PyUnicode_Substring(text, a, b);
    if (s == NULL) return -1;
    int rc = PyList_Append(out, s);
    Py_DECREF(s);
    return rc;
}

/* Whether the word [a, b) of `text` (of two or more characters; `node` is its trie node) is
 * kept by `drop`: every character a letter or a digit (str.isalnum) and the word not in the
 * drop words. 1 kept, 0 dropped, -1 on error. */
static int kept(const DropObject *drop, PyObject *text, int kind, const void *data, Py_ssize_t a,
                Py_ssize_t b, uint32_t node) {
    for (Py_ssize_t k = a; k < b; k++)
        if (!Py_UNICODE_ISALNUM(PyUnicode_READ(kind, data, k))) return 0;
    if (node != 0 && node < drop->marked) return !drop->dropped[node];
    /* a word added to the dictionary after the marking: look it up */
    PyObject *word = PyUnicode_Substring(text, a, b);
    if (word == NULL) return -1;
    int found = PySet_Contains(drop->words, word);
    Py_DECREF(word);
    return found < 0 ? -1 : !found;
}

/* Segment `text`; every_token: all of jieba's tokens, else only the words of two or more
 * characters with a non-ASCII character (and, with a `drop`, only those it keeps). */
static PyObject *segment(DictObject *d, PyObject *text, int every_token, const DropObject *drop) {
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "text must be a str");
        return NULL;
    }
    if (d->total == 0) {
        PyErr_SetString(PyExc_RuntimeError, "the dictionary is empty");
        return NULL;
    }
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    PyObject *out = PyList_New(0);
    if (out == NULL) return NULL;
    Py_ssize_t i = 0;
    while (i < n) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (!in_block(c)) {
            if (every_token) {
                Py_ssize_t stop = i + 1;
                if (c == '\r' && stop < n && PyUnicode_READ(kind, data, stop) == '\n') stop++;
                if (append_sub(out, text, i, stop) < 0) goto error;
                i = stop;
            } else {
                i++;
            }
            continue;
        }
        Py_ssize_t start = i;
        int cjk = 0;
        while (i < n && in_block(c = PyUnicode_READ(kind, data, i))) {
            if (!cjk && c >= 0x80) cjk = 1;
            i++;
        }
        if (!every_token && !cjk) continue; /* ASCII only: every token would be ASCII */
        if (route(d, kind, data, start, i) < 0) goto error;
        Py_ssize_t x = 0, left = -1, size = i - start;
        while (x < size) {
            Py_ssize_t y = d->end[x];
            if (y - x == 1 && is_ascii_alnum(PyUnicode_READ(kind, data, start + x))) {
                if (left < 0) left = x;
            } else {
                if (left >= 0) {
                    if (every_token && append_sub(out, text, start + left, start + x) < 0)
                        goto error;
                    left = -1;
                }
                if (every_token) {
                    if (append_sub(out, text, start + x, start + y) < 0) goto error;
                } else if (y - x > 1) {
                    int keep = 0;
                    for (Py_ssize_t k = x; k < y && !keep; k++)
                        keep = PyUnicode_READ(kind, data, start + k) >= 0x80;
                    if (keep && drop != NULL) {
                        keep = kept(drop, text, kind, data, start + x, start + y, d->node_at[x]);
                        if (keep < 0) goto error;
                    }
                    if (keep && append_sub(out, text, start + x, start + y) < 0) goto error;
                }
            }
            x = y;
        }
        if (left >= 0 && every_token && append_sub(out, text, start + left, i) < 0) goto error;
    }
    return out;
error:
    Py_DECREF(out);
    return NULL;
}

/* The code points of a str, in a PyMem buffer the caller frees. */
static Py_UCS4 *code_points(PyObject *word, Py_ssize_t *len) {
    if (!PyUnicode_Check(word)) {
        PyErr_SetString(PyExc_TypeError, "words must be str");
        return NULL;
    }
    *len = PyUnicode_GET_LENGTH(word);
    if (*len == 0 || *len > 0xFFFF) {
        PyErr_SetString(PyExc_ValueError, "a word must have 1 to 65535 characters");
        return NULL;
    }
    Py_UCS4 *chars = PyMem_Malloc(*len * sizeof(Py_UCS4));
    if (chars == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    if (PyUnicode_AsUCS4(word, chars, *len, 0) == NULL) {
        PyMem_Free(chars);
        return NULL;
    }
    return chars;
}

/* Dict(words, freqs): jieba's dictionary; a word listed twice keeps its last frequency. */
static int Dict_init(DictObject *self, PyObject *args, PyObject *kwds) {
    static char *kwlist[] = {"words", "freqs", NULL};
    PyObject *words, *freqs;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O!O!", kwlist, &PyList_Type, &words,
                                     &PyList_Type, &freqs))
        return -1;
    Py_ssize_t n = PyList_GET_SIZE(words);
    if (PyList_GET_SIZE(freqs) != n) {
        PyErr_SetString(PyExc_ValueError, "words and freqs differ in length");
        return -1;
    }
    if (self->root_bmp != NULL) {
        PyErr_SetString(PyExc_RuntimeError, "Dict is already initialized");
        return -1;
    }
    if (setup(self) < 0) return -1;
    for (Py_ssize_t k = 0; k < n; k++) {
        unsigned long long freq = PyLong_AsUnsignedLongLong(PyList_GET_ITEM(freqs, k));
        if (freq == (unsigned long long)-1 && PyErr_Occurred()) return -1;
        Py_ssize_t len;
        Py_UCS4 *chars = code_points(PyList_GET_ITEM(words, k), &len);
        if (chars == NULL) return -1;
        long long previous = set_word(self, chars, (uint32_t)len, freq);
        PyMem_Free(chars);
        if (previous == -2) return -1;
    }
    self->total = 0; /* jieba-rs: the sum of the (last) frequencies of the words */
    for (uint32_t node = 0; node < self->nodes; node++)
        if (self->is_word[node]) self->total += self->freq[node];
    return 0;
}

static uint64_t word_freq(DictObject *d, PyObject *word, uint64_t missing) {
    Py_ssize_t len = PyUnicode_GET_LENGTH(word);
    int kind = PyUnicode_KIND(word);
    const void *data = PyUnicode_DATA(word);
    uint32_t node = 0;
    for (Py_ssize_t k = 0; k < len && (k == 0 || node != 0); k++)
        node = child_of(d, node, PyUnicode_READ(kind, data, k));
    return (len > 0 && node != 0 && d->is_word[node]) ? d->freq[node] : missing;
}

/* add_word(word, freq=None) -> freq: jieba-rs's add_word (freq None: its suggest_freq). */
static PyObject *Dict_add_word(DictObject *self, PyObject *args) {
    PyObject *word, *given = Py_None;
    if (!PyArg_ParseTuple(args, "U|O", &word, &given)) return NULL;
    uint64_t freq;
    if (given != Py_None) {
        freq = PyLong_AsUnsignedLongLong(given);
        if (freq == (uint64_t)-1 && PyErr_Occurred()) return NULL;
    } else {
        if (self->total == 0) {
            PyErr_SetString(PyExc_RuntimeError, "the dictionary is empty");
            return NULL;
        }
        PyObject *pieces = segment(self, word, 1, NULL);
        if (pieces == NULL) return NULL;
        double logtotal = log((double)self->total);
        double logfreq = 0.0;
        for (Py_ssize_t k = 0; k < PyList_GET_SIZE(pieces); k++) {
            uint64_t f = word_freq(self, PyList_GET_ITEM(pieces, k), 1);
            logfreq = logfreq + log((double)f) - logtotal;
        }
        Py_DECREF(pieces);
        double joined = exp(logfreq + logtotal);
        uint64_t suggested = (joined >= 18446744073709551615.0) ? UINT64_MAX
                             : (joined > 0 ? (uint64_t)joined : 0);
        suggested += 1;
        uint64_t current = word_freq(self, word, 1);
        freq = suggested > current ? suggested : current;
    }
    Py_ssize_t len;
    Py_UCS4 *chars = code_points(word, &len);
    if (chars == NULL) return NULL;
    long long previous = set_word(self, chars, (uint32_t)len, freq);
    PyMem_Free(chars);
    if (previous == -2) return NULL;
    self->total += freq;
    if (previous >= 0) self->total -= (uint64_t)previous;
    return PyLong_FromUnsignedLongLong(freq);
}

static PyObject *Dict_cut(DictObject *self, PyObject *text) {
    return segment(self, text, 1, NULL);
}

/* words(text, drop=None): the words of two or more characters, not all ASCII; with a Drop of
 * this dictionary, only the ones it keeps. */
static PyObject *Dict_words(DictObject *self, PyObject *args) {
    PyObject *text, *drop = Py_None;
    if (!PyArg_ParseTuple(args, "O|O", &text, &drop)) return NULL;
    if (drop == Py_None) return segment(self, text, 0, NULL);
    if (!PyObject_TypeCheck(drop, &DropType) || ((DropObject *)drop)->dict != (PyObject *)self) {
        PyErr_SetString(PyExc_TypeError, "drop must be None or a Drop made by this Dict's drop()");
        return NULL;
    }
    return segment(self, text, 0, (const DropObject *)drop);
}

/* drop(words) -> Drop: marks the trie node of every word of the frozenset `words` (of str) the
 * dictionary has now; words() with it drops those words and the ones not all letters or
 * digits, without making their strings. A word the dictionary gets later is looked up in
 * `words` (frozen: the marks never go stale). */
static PyObject *Dict_drop(DictObject *self, PyObject *words) {
    if (!PyFrozenSet_CheckExact(words)) {
        PyErr_SetString(PyExc_TypeError, "words must be a frozenset of str");
        return NULL;
    }
    if (self->root_bmp == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "the dictionary is empty");
        return NULL;
    }
    DropObject *drop = PyObject_New(DropObject, &DropType);
    if (drop == NULL) return NULL;
    Py_INCREF(self);
    drop->dict = (PyObject *)self;
    Py_INCREF(words);
    drop->words = words;
    drop->marked = self->nodes;
    drop->dropped = PyMem_Calloc(self->nodes, 1);
    if (drop->dropped == NULL) {
        Py_DECREF(drop);
        return PyErr_NoMemory();
    }
    PyObject *iterator = PyObject_GetIter(words);
    if (iterator == NULL) {
        Py_DECREF(drop);
        return NULL;
    }
    PyObject *word;
    while ((word = PyIter_Next(iterator)) != NULL) {
        if (!PyUnicode_CheckExact(word)) {
            Py_DECREF(word);
            Py_DECREF(iterator);
            Py_DECREF(drop);
            PyErr_SetString(PyExc_TypeError, "words must be a frozenset of str");
            return NULL;
        }
        Py_ssize_t len = PyUnicode_GET_LENGTH(word);
        int kind = PyUnicode_KIND(word);
        const void *data = PyUnicode_DATA(word);
        uint32_t node = 0;
        for (Py_ssize_t k = 0; k < len && (k == 0 || node != 0); k++)
            node = child_of(self, node, PyUnicode_READ(kind, data, k));
        if (node != 0) drop->dropped[node] = 1; /* (len 0 leaves node 0: the root, no word) */
        Py_DECREF(word);
    }
    Py_DECREF(iterator);
    if (PyErr_Occurred()) {
        Py_DECREF(drop);
        return NULL;
    }
    return (PyObject *)drop;
}

static PyObject *Dict_get_total(DictObject *self, void *closure) {
    return PyLong_FromUnsignedLongLong(self->total);
}

static void Dict_dealloc(DictObject *self) {
    PyMem_Free(self->root_bmp);
    free(self->slots);
    PyMem_Free(self->is_word);
    PyMem_Free(self->freq);
    PyMem_Free(self->log_freq);
    PyMem_Free(self->best);
    PyMem_Free(self->end);
    PyMem_Free(self->node_at);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static void Drop_dealloc(DropObject *self) {
    Py_XDECREF(self->dict);
    Py_XDECREF(self->words);
    PyMem_Free(self->dropped);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyTypeObject DropType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "streams._segcut.Drop",
    .tp_basicsize = sizeof(DropObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "the words Dict.words drops (made by Dict.drop)",
    .tp_dealloc = (destructor)Drop_dealloc,
};

static PyMethodDef Dict_methods[] = {
    {"add_word", (PyCFunction)Dict_add_word, METH_VARARGS,
     "add_word(word, freq=None) -> int: add or update a word (freq None: jieba's suggestion)"},
    {"cut", (PyCFunction)Dict_cut, METH_O, "cut(text) -> list[str]: every token (no HMM)"},
    {"words", (PyCFunction)Dict_words, METH_VARARGS,
     "words(text, drop=None) -> list[str]: the tokens of two or more characters, not all ASCII "
     "(with a Drop: only those all letters or digits and not among its words)"},
    {"drop", (PyCFunction)Dict_drop, METH_O,
     "drop(words: frozenset[str]) -> Drop: the words for words() to drop, marked in the trie"},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef Dict_getset[] = {
    {"total", (getter)Dict_get_total, NULL, "sum of the word frequencies", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyTypeObject DictType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "streams._segcut.Dict",
    .tp_basicsize = sizeof(DictObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Dict(words, freqs): jieba's dictionary and its no-HMM segmentation",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Dict_init,
    .tp_dealloc = (destructor)Dict_dealloc,
    .tp_methods = Dict_methods,
    .tp_getset = Dict_getset,
};

static struct PyModuleDef segcut_module = {
    PyModuleDef_HEAD_INIT, "_segcut", "jieba's no-HMM segmentation, tokens tweetpulse keeps", -1,
    NULL,
};

PyMODINIT_FUNC PyInit__segcut(void) {
    if (PyType_Ready(&DictType) < 0 || PyType_Ready(&DropType) < 0) return NULL;
    PyObject *m = PyModule_Create(&segcut_module);
    if (m == NULL) return NULL;
    Py_INCREF(&DictType);
    if (PyModule_AddObject(m, "Dict", (PyObject *)&DictType) < 0) {
        Py_DECREF(&DictType);
        Py_DECREF(m);
        return NULL;
    }
    Py_INCREF(&DropType);
    if (PyModule_AddObject(m, "Drop", (PyObject *)&DropType) < 0) {
        Py_DECREF(&DropType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
