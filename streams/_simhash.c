/* A campaign template's SimHash in C (streams.campaigns.simhash).
 *
 * streams.campaigns.template_features cuts a normalized text into up to 32 features (ASCII words
 * without their punctuation, digit runs folded to "0", lone non-ASCII characters, adjacent
 * character pairs inside CJK runs), and the SimHash sets bit i when more than half the features'
 * 64-bit hashes have bit i set. In Python each feature is a new string and its hash a lookup
 * in a bounded cache: Weibo text has ~128,000 distinct character pairs, more than the cache
 * holds, so most features are hashed again on every post. Here the features are read straight
 * from the text's code points, with the same cuts, and each is hashed as the Python reference
 * hashes its UTF-8 bytes (64-bit FNV-1a, then MurmurHash3's 64-bit finalizer), so the
 * fingerprints are the Python ones bit for bit (tests/unit/test_campaigns.py compares them on
 * every text of the bench corpora). Written for tweetpulse; built by ``tweetpulse native build``.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>

#define MAX_FEATURES 32
#define MAX_TEMPLATE_CHARS 240
#define FNV_OFFSET 14695981039346656037ULL
#define FNV_PRIME 1099511628211ULL

static inline uint64_t fnv_byte(uint64_t h, unsigned char b) { return (h ^ b) * FNV_PRIME; }

/* FNV-1a over the UTF-8 encoding of one code point (surrogates as three bytes, as Python's
 * "surrogatepass" writes them). */
static inline uint64_t fnv_char(uint64_t h, Py_UCS4 c) {
    if (c < 0x80) return fnv_byte(h, (unsigned char)c);
    if (c < 0x800) {
        h = fnv_byte(h, (unsigned char)(0xC0 | (c >> 6)));
        return fnv_byte(h, (unsigned char)(0x80 | (c & 0x3F)));
    }
    if (c < 0x10000) {
        h = fnv_byte(h, (unsigned char)(0xE0 | (c >> 12)));
        h = fnv_byte(h, (unsigned char)(0x80 | ((c >> 6) & 0x3F)));
        return fnv_byte(h, (unsigned char)(0x80 | (c & 0x3F)));
    }
    h = fnv_byte(h, (unsigned char)(0xF0 | (c >> 18)));
    h = fnv_byte(h, (unsigned char)(0x80 | ((c >> 12) & 0x3F)));
    h = fnv_byte(h, (unsigned char)(0x80 | ((c >> 6) & 0x3F)));
    return fnv_byte(h, (unsigned char)(0x80 | (c & 0x3F)));
}

static inline uint64_t finalize(uint64_t h) {
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

/* string.punctuation */
static inline int is_punct(Py_UCS4 c) {
    return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) ||
           (c >= 123 && c <= 126);
}

typedef struct {
    uint64_t hashes[MAX_FEATURES];
    int n;
} Features;

static inline void add(Features *f, uint64_t h) {
    if (f->n < MAX_FEATURES) f->hashes[f->n++] = finalize(h);
}

/* One whitespace-separated token (digits already folded) of `chars[start:end]`. */
static void token_features(const Py_UCS4 *chars, Py_ssize_t start, Py_ssize_t end, Features *f) {
    Py_ssize_t len = end - start;
    const Py_UCS4 *t = chars + start;
    /* links, mentions, cashtags */
    if (t[0] == '@' || t[0] == '$') return;
    if (len >= 4 && ((t[0] == 'h' && t[1] == 't' && t[2] == 't' && t[3] == 'p') ||
                     (t[0] == 'w' && t[1] == 'w' && t[2] == 'w' && t[3] == '.')))
        return;
    int ascii = 1;
    for (Py_ssize_t i = 0; i < len; i++) {
        if (t[i] >= 0x80) {
            ascii = 0;
            break;
        }
    }
    if (ascii) {
        for (Py_ssize_t i = 0; i < len; i++)
            if (t[i] == '/') return; /* a bare link: bit.ly/x */
        Py_ssize_t a = 0, b = len;
        while (a < b && is_punct(t[a])) a++;
        while (b > a && is_punct(t[b - 1])) b--;
        if (a == b) return;
        uint64_t h = FNV_OFFSET;
        for (Py_ssize_t i = a; i < b; i++) {
            if (t[i] == '0') { /* a word holding a digit is "0" */
                add(f, fnv_byte(FNV_OFFSET, '0'));
                return;
            }
            h = fnv_byte(h, (unsigned char)t[i]);
        }
        add(f, h);
        return;
    }
    if (len == 1) {
        add(f, fnv_char(FNV_OFFSET, t[0]));
        return;
    }
    /* CJK has no spaces: pairs of adjacent characters */
    for (Py_ssize_t i = 0; i + 1 < len && f->n < MAX_FEATURES; i++)
        add(f, fnv_char(fnv_char(FNV_OFFSET, t[i]), t[i + 1]));
}

static PyObject *fingerprint(PyObject *self, PyObject *args) {
    PyObject *text;
    int min_features;
    if (!PyArg_ParseTuple(args, "Ui:fingerprint", &text, &min_features)) return NULL;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    if (n > MAX_TEMPLATE_CHARS) n = MAX_TEMPLATE_CHARS;
    /* the first MAX_TEMPLATE_CHARS characters with every run of ASCII digits as one "0" */
    Py_UCS4 chars[MAX_TEMPLATE_CHARS];
    Py_ssize_t m = 0;
    int in_digits = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c >= '0' && c <= '9') {
            if (in_digits) continue;
            in_digits = 1;
            c = '0';
        } else {
            in_digits = 0;
        }
        chars[m++] = c;
    }
    Features f;
    f.n = 0;
    Py_ssize_t i = 0;
    while (i < m && f.n < MAX_FEATURES) {
        while (i < m && Py_UNICODE_ISSPACE(chars[i])) i++;
        if (i >= m) break;
        Py_ssize_t start = i;
        while (i < m && !Py_UNICODE_ISSPACE(chars[i])) i++;
        token_features(chars, start, i, &f);
    }
    if (f.n < (min_features > 1 ? min_features : 1)) Py_RETURN_NONE;
    int threshold = f.n / 2 + 1;
    uint64_t fp = 0;
    for (int bit = 0; bit < 64; bit++) {
        int count = 0;
        for (int k = 0; k < f.n; k++) count += (int)((f.hashes[k] >> bit) & 1);
        if (count >= threshold) fp |= 1ULL << bit;
    }
    return PyLong_FromUnsignedLongLong(fp);
}

static PyMethodDef methods[] = {
    {"fingerprint", fingerprint, METH_VARARGS,
     "fingerprint(text, min_features) -> int | None: the SimHash of a normalized template text "
     "(retweet prefix removed), or None below min_features features."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_simhash", "A campaign template's SimHash (streams.campaigns).", -1,
    methods,
};

PyMODINIT_FUNC PyInit__simhash(void) { return PyModule_Create(&module); }
