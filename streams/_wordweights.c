/* The ad model's word sums in C: the weights of a text's tokens and token pairs.
 *
 * streams.ad_model.AdModel.logit_of tokenizes a normalized text (streams.ad_features.tokens:
 * one CJK character, an ASCII word with an inner apostrophe, a digit run written as zeros, a
 * money/percent/tag symbol, one emoji) and sums the unigram weights of the tokens and the
 * bigram weights of consecutive pairs. In Python that builds a string per token (a Weibo post
 * has ~60, one per character) and looks each up twice. Here the same tokens are read straight
 * from the text and identified by their code points against the model's vocabulary, with the
 * same additions in the same order, so the sums are bit for bit the Python ones
 * (tests/unit/test_ad_model.py). Written for tweetpulse; built by ``tweetpulse native build``.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

typedef struct {
    uint64_t hash;
    uint32_t off; /* into the pool */
    uint32_t len;
    uint32_t id; /* 0: an empty slot */
} Key;

typedef struct {
    uint64_t pair; /* first id << 32 | second id; 0: an empty slot */
    double weight;
} Pair;

typedef struct {
    PyObject_HEAD
    Key *keys;
    size_t key_cap;
    uint32_t ids; /* ids handed out: 1..ids */
    Py_UCS4 *pool;
    size_t pool_len, pool_cap;
    double *unigram; /* by id */
    uint8_t *first; /* by id: the first token of some bigram */
    Pair *pairs;
    size_t pair_cap;
} WeightsObject;

#define SEED 1469598103934665603ULL

static inline uint64_t step(uint64_t h, Py_UCS4 c) { return (h ^ (uint64_t)c) * 1099511628211ULL; }

static inline size_t mix(uint64_t h) {
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return (size_t)h;
}

/* The id of the token whose code points are produced by `read(i)` for i in [0, len), 0 when
 * unknown. */
static uint32_t find_chars(const WeightsObject *w, uint64_t h, const Py_UCS4 *chars, uint32_t len) {
    size_t mask = w->key_cap - 1;
    for (size_t i = mix(h) & mask;; i = (i + 1) & mask) {
        const Key *k = &w->keys[i];
        if (k->id == 0) return 0;
        if (k->hash == h && k->len == len &&
            memcmp(w->pool + k->off, chars, len * sizeof(Py_UCS4)) == 0)
            return k->id;
    }
}

static int is_cjk(Py_UCS4 c) { return c >= 0x3400 && c <= 0x9FFF; }
static int is_lower(Py_UCS4 c) { return c >= 'a' && c <= 'z'; }
static int is_digit(Py_UCS4 c) { return c >= '0' && c <= '9'; }
static int is_symbol(Py_UCS4 c) {
    return c == '$' || c == '%' || c == '@' || c == '#' || c == 0x20AC || c == 0xA3 || c == 0xA5;
}
static int is_emoji(Py_UCS4 c) {
    return (c >= 0x1F000 && c <= 0x1FAFF) || (c >= 0x2600 && c <= 0x27BF);
}

/* The id of `token` (a str), added when new; 0 on error. */
static uint32_t intern_token(WeightsObject *w, PyObject *token) {
    if (!PyUnicode_Check(token)) {
        PyErr_SetString(PyExc_TypeError, "tokens must be str");
        return 0;
    }
    Py_ssize_t len = PyUnicode_GET_LENGTH(token);
    if (len == 0 || len > 0xFFFF) {
        PyErr_SetString(PyExc_ValueError, "a token must have 1 to 65535 characters");
        return 0;
    }
    if (w->pool_len + (size_t)len > w->pool_cap) {
        size_t cap = w->pool_cap ? w->pool_cap * 2 : 1 << 16;
        while (cap < w->pool_len + (size_t)len) cap *= 2;
        Py_UCS4 *pool = PyMem_Realloc(w->pool, cap * sizeof(Py_UCS4));
        if (pool == NULL) goto nomem;
        w->pool = pool;
        w->pool_cap = cap;
    }
    Py_UCS4 *chars = w->pool + w->pool_len;
    if (PyUnicode_AsUCS4(token, chars, len, 0) == NULL) return 0;
    uint64_t h = SEED;
    for (Py_ssize_t k = 0; k < len; k++) h = step(h, chars[k]);
    uint32_t id = find_chars(w, h, chars, (uint32_t)len);
    if (id) return id;
    /* a new token: keep its characters in the pool, give it the next id */
    if ((size_t)(w->ids + 1) * 2 > w->key_cap) {
        size_t cap = w->key_cap * 2;
        Key *fresh = PyMem_Calloc(cap, sizeof(Key));
        if (fresh == NULL) goto nomem;
        for (size_t i = 0; i < w->key_cap; i++) {
            if (w->keys[i].id == 0) continue;
            size_t j = mix(w->keys[i].hash) & (cap - 1);
            while (fresh[j].id) j = (j + 1) & (cap - 1);
            fresh[j] = w->keys[i];
        }
        PyMem_Free(w->keys);
        w->keys = fresh;
        w->key_cap = cap;
    }
    id = ++w->ids;
    double *unigram = PyMem_Realloc(w->unigram, (id + 1) * sizeof(double));
    if (unigram == NULL) goto nomem;
    w->unigram = unigram;
    uint8_t *first = PyMem_Realloc(w->first, id + 1);
    if (first == NULL) goto nomem;
    w->first = first;
    w->unigram[id] = 0.0;
    w->first[id] = 0;
    size_t mask = w->key_cap - 1, i = mix(h) & mask;
    while (w->keys[i].id) i = (i + 1) & mask;
    w->keys[i] = (Key){h, (uint32_t)w->pool_len, (uint32_t)len, id};
    w->pool_len += (size_t)len;
    return id;
nomem:
    PyErr_NoMemory();
    return 0;
}

static int add_pair(WeightsObject *w, uint32_t a, uint32_t b, double weight, size_t count) {
    if (w->pairs == NULL) {
        size_t cap = 16;
        while (cap < count * 2 + 2) cap *= 2;
        w->pairs = PyMem_Calloc(cap, sizeof(Pair));
        if (w->pairs == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        w->pair_cap = cap;
    }
    uint64_t key = ((uint64_t)a << 32) | b;
    size_t mask = w->pair_cap - 1, i = mix(key) & mask;
    while (w->pairs[i].pair && w->pairs[i].pair != key) i = (i + 1) & mask;
    w->pairs[i].pair = key;
    w->pairs[i].weight = weight;
    w->first[a] = 1;
    return 0;
}

static double pair_weight(const WeightsObject *w, uint32_t a, uint32_t b, int *found) {
    uint64_t key = ((uint64_t)a << 32) | b;
    size_t mask = w->pair_cap - 1;
    for (size_t i = mix(key) & mask;; i = (i + 1) & mask) {
        const Pair *p = &w->pairs[i];
        if (p->pair == 0) {
            *found = 0;
            return 0.0;
        }
        if (p->pair == key) {
            *found = 1;
            return p->weight;
        }
    }
}

/* WordWeights(unigrams, bigrams): {token: weight}, {first: {second: weight}}. */
static int Weights_init(WeightsObject *self, PyObject *args, PyObject *kwds) {
    static char *kwlist[] = {"unigrams", "bigrams", NULL};
    PyObject *unigrams, *bigrams;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O!O!", kwlist, &PyDict_Type, &unigrams,
                                     &PyDict_Type, &bigrams))
        return -1;
    if (self->keys != NULL) {
        PyErr_SetString(PyExc_RuntimeError, "WordWeights is already initialized");
        return -1;
    }
    self->key_cap = 1 << 12;
    self->keys = PyMem_Calloc(self->key_cap, sizeof(Key));
    if (self->keys == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    PyObject *token, *value;
    Py_ssize_t pos = 0;
    while (PyDict_Next(unigrams, &pos, &token, &value)) {
        double weight = PyFloat_AsDouble(value);
        if (weight == -1.0 && PyErr_Occurred()) return -1;
        uint32_t id = intern_token(self, token);
        if (id == 0) return -1;
        self->unigram[id] = weight;
    }
    size_t count = 0;
    PyObject *seconds;
    pos = 0;
    while (PyDict_Next(bigrams, &pos, &token, &seconds)) {
        if (!PyDict_Check(seconds)) {
            PyErr_SetString(PyExc_TypeError, "bigrams must map a token to a dict");
            return -1;
        }
        count += (size_t)PyDict_GET_SIZE(seconds);
    }
    pos = 0;
    while (PyDict_Next(bigrams, &pos, &token, &seconds)) {
        uint32_t a = intern_token(self, token);
        if (a == 0) return -1;
        PyObject *second;
        Py_ssize_t inner = 0;
        while (PyDict_Next(seconds, &inner, &second, &value)) {
            double weight = PyFloat_AsDouble(value);
            if (weight == -1.0 && PyErr_Occurred()) return -1;
            uint32_t b = intern_token(self, second);
            if (b == 0 || add_pair(self, a, b, weight, count) < 0) return -1;
        }
    }
    return 0;
}

/* sums(text) -> (unigram sum, bigram sum, tokens): AdModel.logit_of's two sums, in its order. */
static PyObject *Weights_sums(WeightsObject *self, PyObject *text) {
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "text must be a str");
        return NULL;
    }
    if (self->keys == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "WordWeights is not initialized");
        return NULL;
    }
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    double unigrams = 0.0, pairs = 0.0;
    Py_ssize_t tokens = 0;
    uint32_t previous = 0;
    Py_UCS4 buffer[64];
    Py_ssize_t i = 0;
    while (i < n) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        Py_ssize_t stop = i + 1;
        int digits = 0;
        if (is_lower(c)) {
            while (stop < n && is_lower(PyUnicode_READ(kind, data, stop))) stop++;
            if (stop + 1 < n && PyUnicode_READ(kind, data, stop) == '\'' &&
                is_lower(PyUnicode_READ(kind, data, stop + 1))) {
                stop += 2;
                while (stop < n && is_lower(PyUnicode_READ(kind, data, stop))) stop++;
            }
        } else if (is_digit(c)) {
            while (stop < n && is_digit(PyUnicode_READ(kind, data, stop))) stop++;
            digits = 1; /* a digit run is the token "0" * its length */
        } else if (!(is_cjk(c) || is_symbol(c) || is_emoji(c))) {
            i++;
            continue;
        }
        Py_ssize_t len = stop - i;
        uint32_t id = 0;
        if (len <= (Py_ssize_t)(sizeof(buffer) / sizeof(buffer[0]))) {
            uint64_t h = SEED;
            for (Py_ssize_t k = 0; k < len; k++) {
                buffer[k] = digits ? '0' : PyUnicode_READ(kind, data, i + k);
                h = step(h, buffer[k]);
            }
            id = find_chars(self, h, buffer, (uint32_t)len);
        } /* a longer token is in no vocabulary built from tweets: unknown */
        tokens++;
        if (id) unigrams += self->unigram[id];
        /* Python adds 0.0 for an unknown token or pair: the same sums */
        if (previous && id && self->first[previous]) {
            int found;
            double weight = pair_weight(self, previous, id, &found);
            if (found) pairs += weight;
        }
        previous = id;
        i = stop;
    }
    return Py_BuildValue("(ddn)", unigrams, pairs, tokens);
}

static void Weights_dealloc(WeightsObject *self) {
    PyMem_Free(self->keys);
    PyMem_Free(self->pool);
    PyMem_Free(self->unigram);
    PyMem_Free(self->first);
    PyMem_Free(self->pairs);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyMethodDef Weights_methods[] = {
    {"sums", (PyCFunction)Weights_sums, METH_O,
     "sums(text) -> (unigram sum, bigram sum, number of tokens)"},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject WeightsType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "streams._wordweights.WordWeights",
    .tp_basicsize = sizeof(WeightsObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "WordWeights(unigrams, bigrams): the ad model's token and pair weights",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Weights_init,
    .tp_dealloc = (destructor)Weights_dealloc,
    .tp_methods = Weights_methods,
};

static struct PyModuleDef wordweights_module = {
    PyModuleDef_HEAD_INIT, "_wordweights", "the ad model's word sums", -1, NULL,
};

PyMODINIT_FUNC PyInit__wordweights(void) {
    if (PyType_Ready(&WeightsType) < 0) return NULL;
    PyObject *m = PyModule_Create(&wordweights_module);
    if (m == NULL) return NULL;
    Py_INCREF(&WeightsType);
    if (PyModule_AddObject(m, "WordWeights", (PyObject *)&WeightsType) < 0) {
        Py_DECREF(&WeightsType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
