/* gs-intervene.h — asking the network "what if": interventions that the
 * forward and backward passes of gs-model.c compute with.
 *
 * A GsInterventions is a short plain list. Handed to a model
 * (gs_model_set_interventions), every later pass — stepping and the
 * whole-sequence path alike — consults it at each layer and timestep:
 *
 *   clamp     a gate's units take a fixed value (LSTM i, f, g, o; GRU r, z)
 *             at one timestep or at all. The value replaces the gate's
 *             activation in everything downstream (c_t, h_t, the gate
 *             recurrence); its pre-activation is still computed and shown,
 *             and receives no gradient: a constant has no derivative.
 *   set c     the LSTM's cell state c_t of some units is the value, after
 *             the update (and clipping). h_t and the o peephole read the set
 *             value; dL/dc_t stops there, so f, i, g and c_{t-1} get nothing
 *             through those units at t.
 *   set h     h_t of some units is the value (the layer above, the head and
 *             step t+1 read it); dL/dh_t of those units is 0, so nothing
 *             flows into the cell at t through them.
 *   ablate    set h to 0 at every step.
 *   weight    one parameter element is overwritten (once, when the list is
 *             handed to the model); gradients are then those of the edited
 *             model.
 *
 * With no list (the default) the passes are exactly the plain ones: the
 * cell's unit loops never look at an intervention.
 *
 * Command-line syntax (gs_interventions_parse), layers counted from 1 as a
 * course counts them, units and timesteps from 0 as the JSON arrays:
 *
 *   clamp   LAYER:GATE:UNITS[@T]=VALUE    1:f:*=1   2:o:3@4=0   1:i:0-2,5@1=0.5
 *   set-c   LAYER:UNITS[@T]=VALUE         1:*@3=0
 *   set-h   LAYER:UNITS[@T]=VALUE         2:1,2@0=0.25
 *   ablate  LAYER:UNITS                   1:3
 *   weight  NAME[ROW,COL]=VALUE           rnn.weight_hh_l0[3,1]=0.5   fc.bias[2]=0
 *
 * UNITS is * (every unit), a unit, a range A-B (both included) or a comma
 * list of those; no @T means every timestep.
 */
#pragma once

#include <stdbool.h>

#include "gs-error.h"
#include "gs-model.h"

#define GS_MAX_INTERVENTIONS 64

typedef enum {
  GS_IV_CLAMP,
  GS_IV_SET_C,
  GS_IV_SET_H,
  GS_IV_ABLATE,   /* parsed as GS_IV_SET_H at every step with value 0 */
  GS_IV_WEIGHT,
} GsIvKind;

typedef struct {
  GsIvKind kind;
  int      layer;       /* 0-based */
  int      gate;        /* GS_IV_CLAMP: the gate's row block (LSTM i 0, f 1, g 2, o 3; GRU r 0, z 1) */
  char     gate_letter; /* its letter, as written */
  int      u0, u1;      /* units [u0, u1); u1 = −1: up to the last unit */
  int      t;           /* the timestep, or −1: every step */
  float    value;
  char     tensor[40];  /* GS_IV_WEIGHT: the tensor's name (gs_config_tensors) */
  int      row, col;    /* GS_IV_WEIGHT: the element (col −1 for a vector) */
  bool     from_session; /* read from a session file (gs-session-file.h), not given now: its
                            weight edit is already in the weights it was saved with */
} GsIntervention;

struct GsInterventions {   /* typedef in gs-model.h */
  GsIntervention item[GS_MAX_INTERVENTIONS];
  int            n;
};

/* Appends what spec says (one entry per comma-separated unit item) to list.
 * kind is the option it came with: GS_IV_CLAMP, GS_IV_SET_C, GS_IV_SET_H,
 * GS_IV_ABLATE or GS_IV_WEIGHT. */
int  gs_interventions_parse    (GsInterventions *list, GsIvKind kind, const char *spec, GsError *err);
/* Whether the list fits the model: layers, gates, units and tensors exist,
 * the cell has what is clamped or set, the model is unidirectional. */
int  gs_interventions_validate (const GsInterventions *list, const GsConfig *cfg, GsError *err);
/* The last unit + 1 of an item on a layer of n units. */
int  gs_intervention_end       (const GsIntervention *iv, int n);
/* "clamp f", "set c", "set h", "weight": for messages and JSON. */
const char *gs_intervention_kind_name (GsIvKind kind);

/* Hands a copy of list (validated) to m, applies its weight edits to the
 * parameters (except those from_session: the saved weights hold them, and
 * training may have moved them since) and rewinds the model; NULL or an empty list removes them
 * (weight edits stay: they changed the parameters). gs_model_clone_params
 * does not copy the list. */
int  gs_model_set_interventions (GsModel *m, const GsInterventions *list, GsError *err);

/* What the views mark as fixed (gs_interventions_fixes). */
typedef enum {
  GS_FIX_NONE = 0,
  GS_FIX_VALUE,    /* the value is the intervention's: a clamped gate, a set c or h, an ablated unit */
  GS_FIX_WEIGHT,   /* a weight into this gate unit (or h unit) was edited: every step */
} GsFix;

/* Whether an intervention of list fixes quantity q of unit u of layer k
 * (0-based) at timestep t: q is a gate letter of the cell
 * (gs_cell_gate_letters: i f g o, r z n, or h for a plain RNN's one
 * "gate"), 'c' or 'h'. A clamp fixes its gate's units, set c fixes c, set
 * h and an ablation fix h; a weight edit of layer k's rnn.weight_ih,
 * weight_hh or bias row r marks unit r mod H of gate r / H (of the
 * projection weight_hr: h unit r) at every step. GS_FIX_VALUE wins over
 * GS_FIX_WEIGHT. The window's marks and `gatescope-cli step` read this. */
GsFix gs_interventions_fixes (const GsInterventions *list, const GsConfig *cfg,
                              int k, int t, char q, int u);
