/* Two scans of the keyphrase extractor in C (streams.keyphrases, streams.segment).
 *
 * runs(text) returns what streams.keyphrases._RUN.findall(text) returns: the runs of names
 * separated by single spaces ("Claude 3.5 Sonnet"), each starting with a capital or a digit that
 * does not continue a URL, mention, hashtag, cashtag or word. The regex costs ~5 us per English
 * tweet (the engine tries its look-behinds and alternatives at every capital and digit); the
 * same grammar written out below follows the regex's choices (first alternative that matches,
 * greedy repeats that nothing after them can undo), so the lists are equal
 * (tests/unit/test_textscan.py compares them on every text of the bench corpora).
 *
 * is_chinese(text) is streams.segment.is_chinese: a Han character and no kana, in one pass
 * (the regexes scanned a Chinese text twice, the second time to its end). not_words(text) is
 * streams.keyphrases._NOT_WORDS.sub(" ", text): hashtags and emoticons out of a Chinese text
 * before jieba cuts it (~7,000 instructions per Weibo post as a regex).
 *
 * Written for tweetpulse; built by ``tweetpulse native build``.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

typedef struct {
    int kind;
    const void *data;
    Py_ssize_t n;
} Text;

static inline Py_UCS4 at(const Text *t, Py_ssize_t i) {
    return i < t->n ? PyUnicode_READ(t->kind, t->data, i) : 0;
}

static inline int up(Py_UCS4 c) { return c >= 'A' && c <= 'Z'; }
static inline int low(Py_UCS4 c) { return c >= 'a' && c <= 'z'; }
static inline int dig(Py_UCS4 c) { return c >= '0' && c <= '9'; }
static inline int alnum(Py_UCS4 c) { return up(c) || low(c) || dig(c); }

/* [A-Z0-9_#@$&/.'’=?%+~\\] (a digit does not start a run after one of these) */
static inline int glues_to_digit(Py_UCS4 c) {
    if (up(c) || dig(c)) return 1;
    switch (c) {
    case '_': case '#': case '@': case '$': case '&': case '/': case '.': case '\'':
    case 0x2019: case '=': case '?': case '%': case '+': case '~': case '\\':
        return 1;
    default:
        return 0;
    }
}

/* ... and '-' (a capital does not start a run after one of these) */
static inline int glues_to_capital(Py_UCS4 c) { return c == '-' || glues_to_digit(c); }

/* (?:[-.][A-Za-z0-9]+)* from j */
static Py_ssize_t groups(const Text *t, Py_ssize_t j) {
    for (;;) {
        Py_UCS4 c = at(t, j);
        if ((c == '-' || c == '.') && alnum(at(t, j + 1))) {
            j += 2;
            while (alnum(at(t, j))) j++;
        } else {
            return j;
        }
    }
}

/* WORD = [A-Za-z0-9]*(?:[-.][A-Za-z0-9]+)* from j */
static Py_ssize_t word(const Text *t, Py_ssize_t j) {
    while (alnum(at(t, j))) j++;
    return groups(t, j);
}

/* (?![A-Za-z0-9_]|\.[0-9]) at e */
static inline int version_ends(const Text *t, Py_ssize_t e) {
    Py_UCS4 c = at(t, e);
    if (alnum(c) || c == '_') return 0;
    return !(c == '.' && dig(at(t, e + 1)));
}

/* VERSION = [0-9]{1,2}(?:\.[0-9]{1,2})?(?!...) at k, in the regex's order of tries; -1: none */
static Py_ssize_t version(const Text *t, Py_ssize_t k) {
    if (!dig(at(t, k))) return -1;
    for (int a = dig(at(t, k + 1)) ? 2 : 1; a >= 1; a--) {
        Py_ssize_t base = k + a;
        if (at(t, base) == '.' && dig(at(t, base + 1))) {
            for (int b = dig(at(t, base + 2)) ? 2 : 1; b >= 1; b--) {
                if (version_ends(t, base + 1 + b)) return base + 1 + b;
            }
        }
        if (version_ends(t, base)) return base;
    }
    return -1;
}

/* NEXT = [A-Z]WORD | [a-z]+(?:[A-Z]|-?[0-9])WORD | VERSION at k; -1: none */
static Py_ssize_t next_name(const Text *t, Py_ssize_t k) {
    Py_UCS4 c = at(t, k);
    if (up(c)) return word(t, k + 1);
    if (low(c)) {
        Py_ssize_t m = k;
        while (low(at(t, m))) m++;
        Py_UCS4 d = at(t, m);
        if (up(d) || dig(d)) return word(t, m + 1);
        if (d == '-' && dig(at(t, m + 1))) return word(t, m + 2);
        return -1;
    }
    return version(t, k);
}

static PyObject *runs(PyObject *self, PyObject *arg) {
    if (!PyUnicode_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "runs() needs a str");
        return NULL;
    }
    Text t = {PyUnicode_KIND(arg), PyUnicode_DATA(arg), PyUnicode_GET_LENGTH(arg)};
    PyObject *out = PyList_New(0);
    if (!out) return NULL;
    Py_ssize_t i = 0;
    while (i < t.n) {
        Py_UCS4 c = at(&t, i);
        if (!(up(c) || dig(c))) {
            i++;
            continue;
        }
        Py_UCS4 prev = i > 0 ? at(&t, i - 1) : 0;
        if (i > 0 && (up(c) ? glues_to_capital(prev) : glues_to_digit(prev))) {
            i++;
            continue;
        }
        Py_ssize_t j = i + 1;
        Py_UCS4 next = at(&t, j);
        if (alnum(next)) {
            while (alnum(at(&t, j))) j++;
            j = groups(&t, j);
        } else if ((next == '-' || next == '.') && alnum(at(&t, j + 1))) {
            j = groups(&t, j);
        } else if (!(dig(c) && i > 0 && (low(prev) || prev == '-'))) {
            i++; /* a single capital or digit: no run starts here */
            continue;
        }
        while (at(&t, j) == ' ' && j < t.n) {
            Py_ssize_t k = next_name(&t, j + 1);
            if (k < 0) break;
            j = k;
        }
        PyObject *run = PyUnicode_Substring(arg, i, j);
        if (!run || PyList_Append(out, run) < 0) {
            Py_XDECREF(run);
            Py_DECREF(out);
            return NULL;
        }
        Py_DECREF(run);
        i = j;
    }
    return out;
}

static PyObject *is_chinese(PyObject *self, PyObject *arg) {
    if (!PyUnicode_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "is_chinese() needs a str");
        return NULL;
    }
    if (PyUnicode_IS_ASCII(arg)) Py_RETURN_FALSE;
    int kind = PyUnicode_KIND(arg);
    const void *data = PyUnicode_DATA(arg);
    Py_ssize_t n = PyUnicode_GET_LENGTH(arg);
    int han = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c < 0x3040) continue;
        if ((c >= 0x3040 && c <= 0x30FF) || (c >= 0x31F0 && c <= 0x31FF)) Py_RETURN_FALSE;
        if ((c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
            (c >= 0xF900 && c <= 0xFAFF))
            han = 1;
    }
    return PyBool_FromLong(han);
}

/* _NOT_WORDS.sub(" ", text), _NOT_WORDS = #\w+#?|\[\w{1,8}\] (a hashtag, Weibo's "#话题#", an
 * emoticon "[哈哈]"); \w is the regex engine's: a character str.isalnum() calls one, or "_" */
static inline int word_char(Py_UCS4 c) { return c == '_' || Py_UNICODE_ISALNUM(c); }

static PyObject *not_words(PyObject *self, PyObject *arg) {
    if (!PyUnicode_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "not_words() needs a str");
        return NULL;
    }
    int kind = PyUnicode_KIND(arg);
    const void *data = PyUnicode_DATA(arg);
    Py_ssize_t n = PyUnicode_GET_LENGTH(arg);
    Py_UCS4 *out = NULL; /* allocated at the first match: most texts have none */
    Py_ssize_t m = 0, copied = 0; /* text[copied:i] is still to be written */
    Py_ssize_t i = 0;
    while (i < n) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        Py_ssize_t end = -1;
        if (c == '#') {
            Py_ssize_t j = i + 1;
            while (j < n && word_char(PyUnicode_READ(kind, data, j))) j++;
            if (j > i + 1) end = (j < n && PyUnicode_READ(kind, data, j) == '#') ? j + 1 : j;
        } else if (c == '[') {
            Py_ssize_t j = i + 1;
            while (j < n && j <= i + 8 && word_char(PyUnicode_READ(kind, data, j))) j++;
            if (j > i + 1 && j < n && PyUnicode_READ(kind, data, j) == ']') end = j + 1;
        }
        if (end < 0) {
            i++;
            continue;
        }
        if (out == NULL && (out = PyMem_Malloc((n + 1) * sizeof(Py_UCS4))) == NULL)
            return PyErr_NoMemory();
        for (Py_ssize_t k = copied; k < i; k++) out[m++] = PyUnicode_READ(kind, data, k);
        out[m++] = ' '; /* a match is at least two characters: the text never grows */
        copied = i = end;
    }
    if (out == NULL) {
        Py_INCREF(arg);
        return arg; /* nothing replaced: the text itself, as re.sub returns it */
    }
    for (Py_ssize_t k = copied; k < n; k++) out[m++] = PyUnicode_READ(kind, data, k);
    PyObject *result = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, out, m);
    PyMem_Free(out);
    return result;
}

static PyMethodDef methods[] = {
    {"runs", runs, METH_O, "runs(text) -> list[str]: streams.keyphrases._RUN.findall(text)."},
    {"is_chinese", is_chinese, METH_O,
     "is_chinese(text) -> bool: a Han character and no kana (streams.segment.is_chinese)."},
    {"not_words", not_words, METH_O,
     "not_words(text) -> str: streams.keyphrases._NOT_WORDS.sub(' ', text)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_textscan", "Scans of the keyphrase extractor (streams.keyphrases).",
    -1, methods,
};

PyMODINIT_FUNC PyInit__textscan(void) { return PyModule_Create(&module); }
