/* streams.taxonomy.normalize_text's common case in C: NFKC, casefold, whitespace runs to one
 * space, in one pass over the text.
 *
 * In Python that is up to thirteen str.replace calls, unicodedata.normalize, str.casefold,
 * str.split and str.join: ~18,000 instructions for a Weibo post, which almost never passes
 * NFKC's quick check (full-width punctuation). Most characters of real tweets map on their own:
 * NFKC and casefold of the text are the characters' own forms joined, as long as no character
 * can compose with or reorder around its neighbour. The table, built in Python from
 * unicodedata (streams.taxonomy.fold_table), gives per code point of the Basic Multilingual
 * Plane and of U+1F000-U+1FFFF (emoji) one of: keep it, a whitespace, its replacement (NFKC then
 * casefold: "Ａ" -> "a", "…" -> "...", "É" -> "é"), or "give up". A text holding any
 * give-up character (a combining mark, a character that composes with the one before, Hangul
 * jamo, other planes) returns None and takes the Python path, so the result is always exactly
 * Python's (tests/unit/test_taxonomy.py compares both on every text of the bench corpora).
 * Written for tweetpulse; built by ``tweetpulse native build``.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#define KEEP (-1)
#define SPACE (-2)
#define GIVE_UP (-3)
#define EMOJI_START 0x1F000
#define EMOJI_END 0x20000
#define TABLE_SIZE (0x10000 + (EMOJI_END - EMOJI_START))

typedef struct {
    PyObject_HEAD
    int32_t *map;    /* per code point: KEEP, SPACE, GIVE_UP, or an offset into pool */
    Py_UCS4 *pool;   /* replacements: a length, then that many code points */
    Py_ssize_t pool_len;
} FolderObject;

static void Folder_dealloc(FolderObject *self) {
    PyMem_Free(self->map);
    PyMem_Free(self->pool);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* Folder(map: bytes of int32 native-endian, TABLE_SIZE of them; pool: str) */
static int Folder_init(FolderObject *self, PyObject *args, PyObject *kwds) {
    Py_buffer map;
    PyObject *pool;
    if (!PyArg_ParseTuple(args, "y*U:Folder", &map, &pool)) return -1;
    if (map.len != (Py_ssize_t)(TABLE_SIZE * sizeof(int32_t))) {
        PyBuffer_Release(&map);
        PyErr_Format(PyExc_ValueError, "fold table must hold %d int32 entries", TABLE_SIZE);
        return -1;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(pool);
    int32_t *m = PyMem_Malloc(map.len);
    Py_UCS4 *p = PyMem_Malloc((n + 1) * sizeof(Py_UCS4));
    if (!m || !p) {
        PyMem_Free(m);
        PyMem_Free(p);
        PyBuffer_Release(&map);
        PyErr_NoMemory();
        return -1;
    }
    memcpy(m, map.buf, map.len);
    PyBuffer_Release(&map);
    if (!PyUnicode_AsUCS4(pool, p, n + 1, 0)) {
        PyMem_Free(m);
        PyMem_Free(p);
        return -1;
    }
    for (Py_ssize_t i = 0; i < TABLE_SIZE; i++) {
        int32_t v = m[i];
        if (v < GIVE_UP || (v >= 0 && (v >= n || v + 1 + (Py_ssize_t)p[v] > n))) {
            PyMem_Free(m);
            PyMem_Free(p);
            PyErr_SetString(PyExc_ValueError, "fold table entry out of range");
            return -1;
        }
    }
    PyMem_Free(self->map);
    PyMem_Free(self->pool);
    self->map = m;
    self->pool = p;
    self->pool_len = n;
    return 0;
}

static inline int32_t lookup(const FolderObject *self, Py_UCS4 c) {
    if (c < 0x10000) return self->map[c];
    if (c >= EMOJI_START && c < EMOJI_END) return self->map[0x10000 + (c - EMOJI_START)];
    return GIVE_UP;
}

static PyObject *Folder_fold(FolderObject *self, PyObject *text) {
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "fold() needs a str");
        return NULL;
    }
    if (self->map == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "Folder not initialized");
        return NULL;
    }
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    /* a replacement is at most a few code points; size the buffer for the longest, 18 ("ﷺ") */
    Py_UCS4 stack[1024];
    Py_ssize_t cap = n * 18 + 1;
    Py_UCS4 *out = cap <= 1024 ? stack : PyMem_Malloc(cap * sizeof(Py_UCS4));
    if (!out) return PyErr_NoMemory();
    Py_ssize_t m = 0;
    int pending = 0; /* a whitespace run since the last character written */
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c < 0x80) {
            if (c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F)) {
                pending = 1;
                continue;
            }
            if (c >= 'A' && c <= 'Z') c += 32;
            if (pending && m) out[m++] = ' ';
            pending = 0;
            out[m++] = c;
            continue;
        }
        int32_t v = lookup(self, c);
        if (v == KEEP) {
            if (pending && m) out[m++] = ' ';
            pending = 0;
            out[m++] = c;
        } else if (v == SPACE) {
            pending = 1;
        } else if (v == GIVE_UP) {
            if (out != stack) PyMem_Free(out);
            Py_RETURN_NONE;
        } else {
            Py_ssize_t len = (Py_ssize_t)self->pool[v];
            if (pending && m) out[m++] = ' ';
            pending = 0;
            memcpy(out + m, self->pool + v + 1, len * sizeof(Py_UCS4));
            m += len;
        }
    }
    PyObject *result = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, out, m);
    if (out != stack) PyMem_Free(out);
    return result;
}

static PyMethodDef Folder_methods[] = {
    {"fold", (PyCFunction)Folder_fold, METH_O,
     "fold(text) -> str | None: normalize_text(text), or None when the table cannot say."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject FolderType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "streams._textfold.Folder",
    .tp_basicsize = sizeof(FolderObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "NFKC + casefold + whitespace runs to one space, from a per-character table.",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Folder_init,
    .tp_dealloc = (destructor)Folder_dealloc,
    .tp_methods = Folder_methods,
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_textfold", "normalize_text's common case (streams.taxonomy).", -1,
    NULL,
};

PyMODINIT_FUNC PyInit__textfold(void) {
    if (PyType_Ready(&FolderType) < 0) return NULL;
    PyObject *m = PyModule_Create(&module);
    if (!m) return NULL;
    Py_INCREF(&FolderType);
    if (PyModule_AddObject(m, "Folder", (PyObject *)&FolderType) < 0) {
        Py_DECREF(&FolderType);
        Py_DECREF(m);
        return NULL;
    }
    PyModule_AddIntConstant(m, "TABLE_SIZE", TABLE_SIZE);
    PyModule_AddIntConstant(m, "KEEP", KEEP);
    PyModule_AddIntConstant(m, "SPACE", SPACE);
    PyModule_AddIntConstant(m, "GIVE_UP", GIVE_UP);
    PyModule_AddIntConstant(m, "EMOJI_START", EMOJI_START);
    return m;
}
