/* gs-lesson.h — guided lessons: steps a teacher writes as a text file,
 * played on a live network.
 *
 * A lesson is a title and a list of steps. A step shows text (English and
 * Chinese side by side in the same file), runs actions on the network in
 * the order written — set up a run, train, step forward or backward, apply
 * or release an intervention (gs-intervene.h), remember a number — may tell
 * the window where to look (a view, a unit) or to open the compare page,
 * and may ask a question with choices. The right choice is never written in
 * the file: the question names a rule ("which of these numbers is closest
 * to 1?") and the rule is evaluated on the live values after the step's
 * actions ran.
 *
 * The file format is described at the top of gs-lesson.c and in the
 * README. gs_lesson_parse checks everything that can be checked without a
 * network (keys, numbers, run settings, intervention syntax, quantities,
 * that each question's rule can only pick one of its choices, that the
 * gates and layers named exist in the run in effect); a fault is reported
 * as "FILE:LINE: what is wrong", and nothing is half-loaded.
 *
 * GsLessonRunner plays the steps on a GsStepper it borrows. What the rule
 * needs must be computed by then (the forward pass up to the timestep
 * asked about); when it is not, or when the live values make the question
 * ambiguous (two candidates within the rule's margin), running the step
 * fails with a message naming the file and line of the question. A test
 * plays every shipped lesson and requires exactly one right choice for
 * every question.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "gs-error.h"
#include "gs-intervene.h"
#include "gs-stepper.h"
#include "gs-train.h"

#define GS_LESSON_MAX_BYTES   (256 * 1024)
#define GS_LESSON_MAX_STEPS   64
#define GS_LESSON_MAX_ACTIONS 16
#define GS_LESSON_MAX_CHOICES 8
#define GS_LESSON_MAX_OPERANDS 8
#define GS_LESSON_MAX_SAVED   16
#define GS_LESSON_NAME_MAX    32

typedef enum {
  GS_LANG_EN,
  GS_LANG_ZH,
  GS_N_LANGS
} GsLang;

/* One text in every language; a missing translation is NULL. */
typedef struct {
  char *s[GS_N_LANGS];
} GsLessonText;

/* The text in lang, else the English one ("" when there is none). */
const char *gs_lesson_text_get (const GsLessonText *text, GsLang lang);

/* A number read from the live network. */
typedef enum {
  GS_Q_GATE,       /* a gate's activation: letter, layer, unit, t */
  GS_Q_C,          /* the LSTM's cell state c_t */
  GS_Q_H,          /* the hidden state h_t */
  GS_Q_IG,         /* i_t ⊙ g_t: what the LSTM writes onto the belt */
  GS_Q_DC,         /* c_t − c_{t−1}: how much the belt changed at t */
  GS_Q_CNORM,      /* ‖c_t‖ over the layer's units */
  GS_Q_HNORM,      /* ‖h_t‖ */
  GS_Q_LOSS,       /* the loss of the last update */
  GS_Q_EVAL_LOSS,  /* the loss on the task's held-out batch */
  GS_Q_METRIC,     /* the task's metric on the held-out batch (accuracy or MSE) */
  GS_Q_EPOCH,      /* updates done */
  GS_Q_PARAMS,     /* the number of parameters of the model */
  GS_Q_SAVED,      /* a number remembered earlier: $name */
} GsQuantityKind;

typedef struct {
  GsQuantityKind kind;
  char gate;                       /* GS_Q_GATE: i f g o, r z n, or h (an RNN's tanh) */
  int  layer, unit, t;             /* layer 0-based (written from 1), unit and t from 0 */
  char name[GS_LESSON_NAME_MAX];   /* GS_Q_SAVED */
} GsQuantity;

typedef enum {
  GS_ACT_RUN,          /* a fresh run of `run` */
  GS_ACT_TRAIN,        /* n training steps */
  GS_ACT_TRAIN_SOLVED, /* training steps until the task is solved, at most n */
  GS_ACT_FORWARD,      /* the forward pass of a fresh sequence up to n timesteps (−1: all) */
  GS_ACT_BACKWARD,     /* the whole forward pass, then n backward steps (−1: all) */
  GS_ACT_INTERVENE,    /* add `iv` to the interventions in effect */
  GS_ACT_RELEASE,      /* remove every intervention */
  GS_ACT_REMEMBER,     /* save `q` as `name` */
} GsLessonActionKind;

/* An action holds only what its kind needs: a run (2 KiB, most of it the
 * init path no lesson sets) and the items of one intervention line are
 * allocated for the actions that have them, not carried by every action
 * (a full GsTrainConfig and GsInterventions in each of 16 actions made a
 * step 120 KiB and an empty lesson 1 MiB). */
typedef struct {
  GsLessonActionKind kind;
  int                line;
  GsTrainConfig     *run;     /* GS_ACT_RUN (owned), else NULL */
  int                n;
  GsIntervention    *iv;      /* GS_ACT_INTERVENE: n_iv items, as one line gives them (owned) */
  int                n_iv;
  char               name[GS_LESSON_NAME_MAX];
  GsQuantity         q;
} GsLessonAction;

typedef enum {
  GS_RULE_CLOSEST,       /* the choice whose quantity is closest to `value` */
  GS_RULE_CLOSEST_GATE,  /* the gate (of the cell in effect) closest to `value` at one unit and t */
  GS_RULE_LOWEST,        /* the choice whose quantity is the lowest */
  GS_RULE_HIGHEST,       /* … the highest */
  GS_RULE_COMPARE,       /* "less", "equal" or "greater": a against b within tol */
  GS_RULE_SIGN,          /* "negative", "zero" or "positive" within tol */
  GS_RULE_PREDICTED,     /* the character the network predicts at t */
} GsLessonRule;

typedef struct {
  char         key[GS_LESSON_NAME_MAX];   /* what the rule answers when this choice is right */
  GsLessonText label;
} GsLessonChoice;

typedef struct {
  int            line;             /* of the `answer` line */
  GsLessonText   text;
  GsLessonRule   rule;
  /* GS_RULE_CLOSEST, LOWEST, HIGHEST: operand k is the quantity of the
   * choice keyed key[k]; COMPARE: a, b; SIGN: a. */
  int            n_operands;
  char           key[GS_LESSON_MAX_OPERANDS][GS_LESSON_NAME_MAX];
  GsQuantity     operand[GS_LESSON_MAX_OPERANDS];
  GsQuantity     at;               /* GS_RULE_CLOSEST_GATE: layer, unit, t; PREDICTED: t */
  double         value;            /* CLOSEST, CLOSEST_GATE: the target */
  double         tol;              /* COMPARE, SIGN: |difference| ≤ tol counts as equal / zero */
  double         margin;           /* CLOSEST…, LOWEST, HIGHEST: the runner-up must be this much worse */
  int            n_choices;
  GsLessonChoice choice[GS_LESSON_MAX_CHOICES];
  GsLessonText   explain;          /* shown once answered */
} GsLessonQuestion;

typedef struct {
  int              line;           /* of the [step] line */
  GsLessonText     title;
  GsLessonText     text;
  int              n_actions;
  GsLessonAction  *action;         /* (n_actions), at most GS_LESSON_MAX_ACTIONS */
  char             point[GS_LESSON_NAME_MAX];   /* a view to look at ("" none): see gs_lesson_views */
  int              point_unit, point_t, point_layer;   /* −1 where not given; layer 0-based */
  bool             open_compare;
  bool             has_question;
  GsLessonQuestion question;
} GsLessonStep;

typedef struct {
  char         *path;      /* as given, for messages */
  GsLessonText  title;
  GsLessonText  summary;
  int           n_steps;
  GsLessonStep *step;      /* (n_steps) */
} GsLesson;

/* The views a step can point at: NULL-terminated "unrolled", "cell", … */
extern const char *const gs_lesson_views[];

/* Parses text (len bytes, need not be NUL-terminated); name is used in
 * messages. NULL with err set on any fault. */
GsLesson *gs_lesson_parse (const char *text, size_t len, const char *name, GsError *err);
GsLesson *gs_lesson_load  (const char *path, GsError *err);
void      gs_lesson_free  (GsLesson *lesson);

/* Playing a lesson on a stepper. */
typedef struct {
  const GsLesson  *lesson;          /* borrowed */
  GsInterventions  iv;              /* those it added: the model's one list holds them with the user's */
  int              n_saved;
  char             saved_name[GS_LESSON_MAX_SAVED][GS_LESSON_NAME_MAX];
  double           saved_value[GS_LESSON_MAX_SAVED];
} GsLessonRunner;

void gs_lesson_runner_init (GsLessonRunner *r, const GsLesson *lesson);

/* Runs step i's actions on s and, when the step asks a question, sets
 * *right to the index of the one right choice (else −1). Fails, naming the
 * file and line, when an action is refused or the question has no single
 * right answer on the live values. */
int gs_lesson_run_step (GsLessonRunner *r, GsStepper *s, int i, int *right, GsError *err);

/* Back: puts s (and r) in the state going forward left them in after step
 * i — the state step i + 1 starts from — by playing steps again from the
 * lesson's first set-up (a step with a `run` action) through step i with
 * a fresh runner; *right is step i's right choice, as gs_lesson_run_step
 * gives it. The engine is deterministic, so the values are bit for bit
 * those of going forward once. Fails when no step up to i sets up a run:
 * the network the lesson began on is not the lesson's to restore. */
int gs_lesson_replay_to (GsLessonRunner *r, GsStepper *s, int i, int *right, GsError *err);
/* The first step that sets up a run, or −1. */
int gs_lesson_first_setup (const GsLesson *lesson);

/* Removes the interventions the lesson put in effect (when the lesson is
 * closed; the user's own stay) and recomputes the current sequence without
 * them. */
int gs_lesson_runner_release (GsLessonRunner *r, GsStepper *s, GsError *err);

/* The value of q on s (after the runner's actions), for tests and the window. */
int gs_lesson_quantity (const GsLessonRunner *r, GsStepper *s, const GsQuantity *q, double *out, GsError *err);
