/* gs-task.h — what the network is asked to learn.
 *
 * A teacher picks a lesson, not a tensor. A task fixes the shape of the data
 * (input kind, vocabulary, outputs, loss), fills batches deterministically
 * from a GsRng, and judges a model on a held-out batch drawn from a fixed
 * seed of its own: a headline metric and whether the task counts as solved.
 *
 * Tasks are named by a spec, "NAME" or "NAME:key=value,key=value", e.g.
 * "adding:length=100" or "charlm:file=poem.txt". Every parameter has a
 * default and a range (gs_task_class_get / GsTaskParam), which is what
 * `gatescope-cli tasks` lists and what the GUI offers.
 *
 * Shapes (the course's names):
 *   N→N  a target at every step        hello, charlm, series, reber, xor
 *   N→1  a target at the last step     classify, adding, temporal_order
 *   1→N  generation from a prime       charlm (gs_task_sample)
 *   N→M  an encoder and a decoder      seq2seq (GsTask.T_dec > 0: the trainer
 *        builds a second model whose initial state is the encoder's final one)
 *
 * The seed task is `hello`: vocabulary e, h, l, o; input "hello", target
 * "ohlol" — the character-prediction exercise of the PyTorch course.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "gs-error.h"
#include "gs-model.h"
#include "gs-rng.h"

#define GS_TASK_MAX_VOCAB 65536   /* token tasks: at most this many input tokens or classes */
#define GS_TASK_MAX_PARAMS 8
#define GS_TASK_SPEC_MAX 1024     /* "NAME:key=value,…" */

typedef enum {
  GS_PARAM_INT,
  GS_PARAM_FLOAT,
  GS_PARAM_CHOICE,   /* one of `choices`, "a|b|c" */
  GS_PARAM_FILE,     /* a path; "" = the task's shipped data */
} GsParamKind;

typedef struct {
  const char *key;       /* "length" */
  GsParamKind kind;
  const char *def;       /* default as written in a spec: "100" */
  double      min, max;  /* INT and FLOAT */
  const char *choices;   /* CHOICE: "sine|ohlc" */
  const char *help;      /* translatable (N_), use _() to show */
  const char *old_def;   /* the default before it changed, or NULL: a spec in a file
                          * written then that leaves the parameter out meant this
                          * (gs_task_spec_from_file); the canonical spec always
                          * names such a parameter, so that no file written since does */
} GsTaskParam;

typedef struct GsTask GsTask;
typedef struct GsTaskClass GsTaskClass;

/* One batch, time-major. Which arrays a task fills follows its input and
 * loss: tokens (T, B) or xs (T, B, V); targets (T, B) (−1 = no loss) or ys
 * (T, B, O) with ymask (T, B). Encoder–decoder tasks also fill the
 * decoder's teacher-forced input dec_tokens (T_dec, B) and dec_targets
 * (T_dec, B). */
typedef struct {
  int T, B;
  int           *tokens;
  float         *xs;
  int           *targets;
  float         *ys;
  unsigned char *ymask;
  int            T_dec;
  int           *dec_tokens;
  int           *dec_targets;
  /* The held-out batch is filled in chunks: `first` is the index of this
   * chunk's first sequence among the task's held-out sequences. */
  bool           held_out;
  int            first;
  /* Judging a task's fixed training set (GsTask.n_train > 0): sequence b
   * is training example first + b, unaltered. */
  bool           training_set;
} GsBatch;

/* A model judged on the task's held-out batch. */
typedef struct {
  const char *metric_name;  /* "accuracy" or "mse" (not translated: JSON key) */
  float metric;             /* the headline number */
  bool  higher_is_better;
  float threshold;          /* solved when metric ≥ (or ≤) this */
  bool  solved;
  /* Judged on the data trained on, there being nothing to hold out
   * (GsTask.no_held_out: hello): a training score, to be labelled so. */
  bool  on_training_data;
  float loss;               /* the training loss on the held-out batch */
  float accuracy;           /* fraction of correct sequences (or steps, see the task); NaN if none */
  float baseline;           /* the metric of a trivial predictor: chance, a constant output, or a count model */
  /* What the baseline is when it is more than chance or a constant output,
   * an untranslated N_() noun phrase ("a bigram count model": charlm's bar
   * is set from it); NULL otherwise. */
  const char *baseline_name;
  int   n;                  /* sequences judged */
  /* Sequence 0 of the held-out batch, for a plot of prediction against
   * truth (regression tasks: feature 0 of every targeted step). */
  float trace_truth[512];
  float trace_pred[512];
  int   trace_len;
} GsTaskEval;

struct GsTaskClass {
  const char        *name;         /* "adding" */
  const char        *title;        /* translatable: "Adding problem" */
  const char        *shape;        /* "N→1" */
  const char        *description;  /* translatable, one or two sentences incl. the metric */
  const GsTaskParam *params;
  int                n_params;
  /* Reads task->num/str, sets the shape, loads data. */
  int  (*init)     (GsTask *task, GsError *err);
  void (*fill)     (const GsTask *task, GsRng *rng, GsBatch *batch);
  /* Scores a model whose forward pass over `batch` is complete (for
   * encoder–decoder tasks: runs encoder `m` and decoder `dec` itself). */
  void (*score)    (const GsTask *task, GsModel *m, GsModel *dec, const GsBatch *batch, GsTaskEval *ev);
  void (*finalize) (GsTask *task);
  /* The held-out batch when it is not drawn as training batches are (a
   * split the training batches never touch); NULL: fill. */
  void (*fill_held_out) (const GsTask *task, GsRng *rng, GsBatch *batch);
  int                eval_B;       /* sequences in the held-out batch */
  /* The target at step t is the input at t + 1 (a language model, a
   * forecast): a bidirectional layer's reverse direction would read the
   * answer, so gs_train_config_validate refuses one. */
  bool               next_element;
  /* > 0: the task's sequences are few enough that fresh draws repeat
   * (copy has 64, reber's short strings recur, seq2seq's dates): a
   * sequence whose input hashes to 0 mod held_out_mod is held out — never
   * drawn for training — and the held-out batch draws only those. 0: the
   * held-out batch is a fresh stream, which never met the training one in
   * the measurements (README, "Validation"). */
  int                held_out_mod;
};

struct GsTask {
  const GsTaskClass *klass;
  const char  *name;                 /* "hello" */
  const char  *title;                /* translatable, for lists: "hello → ohlol" */
  GsInput      input;                /* GS_INPUT_EMBED or GS_INPUT_ONEHOT (the model's choice) or DENSE */
  GsLoss       loss;
  int          V;                    /* input vocabulary / features */
  int          O;                    /* outputs */
  int          T;                    /* sequence length (of a training batch) */
  int          T_eval;               /* length of the held-out sequences; 0 = T */
  int          eval_B;               /* held-out sequences; 0 = the class's eval_B */
  int          n_train;              /* a fixed training set's examples (classify); 0 = drawn afresh */
  /* Nothing can be held out (hello is one fixed sequence; a classify file
   * with one example per class): the "held-out" batch is training data, the
   * score a training score (GsTaskEval.on_training_data), and no
   * validation curve is drawn. Set by init. */
  bool         no_held_out;
  const char *const *vocab;          /* (V) token strings (UTF-8), NULL for dense input */
  const char *const *out_vocab;      /* (O) output labels for CE tasks, NULL otherwise */
  /* Encoder–decoder tasks (seq2seq): the decoder's length, its input
   * vocabulary (start symbol included) and labels; T_dec = 0 otherwise.
   * The decoder's outputs are O classes (out_vocab). */
  int          T_dec;
  int          V_dec;
  const char *const *dec_vocab;

  char         spec[GS_TASK_SPEC_MAX];       /* canonical: "adding:length=50" (non-default values only,
                                              * and every parameter with an old_def: "copy:length=5") */
  double       num[GS_TASK_MAX_PARAMS];      /* INT/FLOAT/CHOICE (index into choices) values */
  char        *str[GS_TASK_MAX_PARAMS];      /* FILE values (malloc'd), NULL = default */
  float        solve_threshold;              /* see GsTaskEval */
  void        *priv;                         /* the class's own data */
};

/* The task classes in display order; n_out receives their number. */
const GsTaskClass *const *gs_task_classes (int *n_out);
const GsTaskClass        *gs_task_class_find (const char *name);

/* A spec split into its class and the text of each parameter's value,
 * without building the task (what a settings panel shows). The grammar:
 * "NAME[:key=value,…]"; a piece that is not a known key= continues the
 * value of a FILE parameter before it (a file name with a comma). On
 * GS_FAIL (an unknown name, key or piece) klass is the class when the name
 * was known, else NULL, and values holds what was read before the fault.
 * Values are not range-checked here: gs_task_init judges them. */
typedef struct {
  const GsTaskClass *klass;
  char *values[GS_TASK_MAX_PARAMS];   /* malloc'd text of parameter i; NULL where the spec leaves the default */
} GsTaskSpec;

int  gs_task_spec_parse (GsTaskSpec *out, const char *spec, GsError *err);
void gs_task_spec_clear (GsTaskSpec *s);

/* A spec read from a file Gatescope wrote (a session's configuration, a
 * model file's "task"), in a buffer of `size` bytes: each parameter whose
 * default has changed since (GsTaskParam.old_def) and that the spec leaves
 * out is added with its old default, which is what the file meant —
 * "copy" from a file of copy's 2-symbol days is "copy:length=2". A spec
 * that does not parse is left for gs_task_init to judge. GS_FAIL only when
 * the result would not fit. */
int  gs_task_spec_from_file (char *spec, size_t size, GsError *err);

/* Parses "NAME[:key=value,…]" (gs_task_spec_parse) and builds the task (loading its files).
 * Unknown names, unknown keys, values out of range and bad files are
 * errors with a message that says which. gs_task_clear frees what init
 * allocated; a GsTask that failed to init needs no clear (but may have one). */
int  gs_task_init  (GsTask *task, const char *spec, GsError *err);
void gs_task_clear (GsTask *task);

/* The value of a parameter by key (the default if unset). */
double      gs_task_num  (const GsTask *task, const char *key);
const char *gs_task_str  (const GsTask *task, const char *key);   /* FILE: NULL when default */

/* Fills one batch (batch->B sequences of batch->T steps, and T_dec decoder
 * steps for encoder–decoder tasks). Deterministic given the RNG state. */
void gs_task_fill  (const GsTask *task, GsRng *rng, GsBatch *batch);
/* Allocates the arrays of a batch of B sequences for this task (T from the
 * task unless T > 0). */
int  gs_batch_alloc (GsBatch *batch, const GsTask *task, int T, int B, GsError *err);
void gs_batch_free  (GsBatch *batch);

/* Allocates and fills the first held-out sequences gs_task_evaluate
 * judges on (at most GS_EVAL_BATCH_FIRST of them, so a huge held-out set
 * costs nothing here): the same sequences every time, from the task's
 * spec alone. Free it with gs_batch_free. */
#define GS_EVAL_BATCH_FIRST 64
int  gs_task_eval_batch (const GsTask *task, GsBatch *batch, GsError *err);

/* Judges a model on the task's held-out batch. `m` (and `dec` for
 * encoder–decoder tasks) are scratch models with the trained parameters:
 * their sequence state is overwritten. Deterministic: the held-out batch
 * depends on the task only. */
int  gs_task_evaluate (const GsTask *task, GsModel *m, GsModel *dec, GsTaskEval *ev, GsError *err);
/* The same, judged `chunk` sequences at a time (0: as many as fit in
 * GS_EVAL_CHUNK_BYTES, gs-mem.h — what gs_task_evaluate does). The
 * sequences judged do not depend on the chunk. */
int  gs_task_evaluate_chunked (const GsTask *task, GsModel *m, GsModel *dec, int chunk,
                               GsTaskEval *ev, GsError *err);
/* The same judgement on what the model trains on, to set beside the
 * held-out score (overfitting is the gap): a task with a fixed training
 * set (n_train > 0: classify) is judged on all of it; the others on a
 * fresh sample of their training distribution, as many sequences as the
 * held-out batch (for tasks drawn afresh every batch the two scores differ
 * by chance only; sentiment's training sentences are disjoint from its
 * held-out ones). */
int  gs_task_evaluate_training (const GsTask *task, GsModel *m, GsModel *dec, GsTaskEval *ev, GsError *err);

/* classify: the tokens of a phrase as the task reads it, each character its
 * token and a character the task's data never had GS_CLASSIFY_UNK (the
 * unknown token, which the model met in training). At most max tokens.
 * Returns how many, or −1 with a message (not a classify task, an empty
 * or too long phrase, invalid UTF-8); n_unknown (may be NULL) receives the
 * number of unknown characters. */
#define GS_CLASSIFY_UNK 1
int  gs_task_classify_encode (const GsTask *task, const char *text, int *tokens, int max, int *n_unknown,
                              GsError *err);

/* Writes the predicted output labels of sequence b at every targeted
 * timestep into buf (UTF-8), e.g. "ohlol". Empty for regression tasks. */
void gs_task_decode_prediction (const GsTask *task, const GsModel *m, int b, char *buf, size_t size);
/* True when every targeted step of sequence b is predicted exactly. */
bool gs_task_all_correct (const GsModel *m, int b);

/* Shipped data: the path of <rel> (e.g. "corpora/tang-poems.txt") into buf,
 * from $GATESCOPE_DATA_DIR when set (uninstalled runs), else from the
 * install's PKGDATADIR, else from gatescope/ under $XDG_DATA_DIRS. */
int  gs_task_data_path (char *buf, size_t size, const char *rel, GsError *err);

/* charlm's bar: the next-character accuracy of two count models, trained
 * on the tokens train[0, n_train) and judged on the steps whose target is
 * not negative (inputs[i] → targets[i], i < n_steps):
 *   unigram: always the commonest training character;
 *   bigram:  after character a, the character that most often followed a in
 *            training (ties: the commoner character, then the lower token;
 *            an a never followed in training: the unigram's guess) — the
 *            argmax of an add-one-smoothed bigram model.
 * Tokens are in [0, V). Needs O(n_train + V) memory; returns GS_FAIL only
 * when out of memory. NaN when no step is judged. */
int  gs_count_baselines (float *unigram, float *bigram, const int *train, size_t n_train, const int *inputs,
                         const int *targets, size_t n_steps, int V, GsError *err);

/* Language models (1→N): continues `prime` for `length` characters,
 * sampling from softmax(logits / temperature) (temperature 0 = argmax),
 * with the model's characters `chars` (token order). Writes the prime and
 * the continuation into a malloc'd UTF-8 string. */
int  gs_task_sample (char **out, GsModel *m, const char *chars, const char *prime,
                     int length, float temperature, GsRng *rng, GsError *err);
