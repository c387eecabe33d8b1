// SPDX-License-Identifier: GPL-3.0-or-later
/* Execution control: c/C/s/S and vCont become one struct gdb_resume for the target's resume op;
 * D and k end the session. All-stop mode only: the stub marks itself running and sends the
 * stop reply when the VMM calls gdb_notify_stop(). */
#include <errno.h>
#include <string.h>

#include "gdbstub/internal.h"

const struct gdb_action *gdb_resume_action(const struct gdb_resume *r, unsigned int cpu)
{
	unsigned int i;

	for (i = 0; i < r->nr; i++)
		if (r->cpus[i].cpu == cpu)
			return &r->cpus[i].act;
	return &r->def;
}

static bool runs_something(const struct gdb_resume *r)
{
	unsigned int i;

	if (r->def.kind != GDB_ACT_NONE)
		return true;
	for (i = 0; i < r->nr; i++)
		if (r->cpus[i].act.kind != GDB_ACT_NONE)
			return true;
	return false;
}

/*
 * Mark the session running *before* calling the target, so that a stop the target already
 * knows (it may call gdb_notify_stop() from inside resume) is sent at once. Nothing to run
 * (every thread 't', which all-stop gdb never sends) gets an immediate "T00" stop reply.
 */
static int start(struct gdb_session *s, const struct gdb_resume *r)
{
	struct gdb_stop none = { .reason = GDB_STOP_SIGNAL, .cpu = s->g_cpu, .sig = GDB_SIGNAL_0 };
	const char *why;
	int ret;

	if (!runs_something(r)) {
		gdb_send_stop(s, &none);
		return 0;
	}
	s->state = GDB_RUNNING;
	ret = s->ops->resume(s->opaque, r);
	if (ret && s->state == GDB_RUNNING)
		s->state = GDB_STOPPED;
	if (ret && s->ops->resume_error && (why = s->ops->resume_error(s->opaque))) {
		gdb_print_o(s, why, strlen(why));
		gdb_print_o(s, "\n", 1);
	}
	return ret; /* 0: no reply now; the stop reply comes with gdb_notify_stop() */
}

/* The thread of legacy c/s: the Hc thread if one was named, else the current (Hg) one. */
static unsigned int c_cpu(struct gdb_session *s)
{
	int cpu = s->c_tid > 0 ? gdb_tid_to_cpu(s, s->c_tid) : -1;

	return cpu >= 0 ? (unsigned int)cpu : s->g_cpu;
}

/*
 * Legacy c/C/s/S (gdb uses vCont once vCont? answers): 'c' continues every vCPU; 's' steps the
 * c_cpu() thread alone, the others stay stopped. An address sets that thread's PC first.
 */
static int legacy(struct gdb_session *s, enum gdb_action_kind kind, uint64_t sig, bool has_addr,
		  uint64_t addr)
{
	struct gdb_resume r;
	unsigned int cpu = c_cpu(s);

	if (sig > 0xff)
		return -EINVAL;
	memset(&r, 0, sizeof(r));
	if (kind == GDB_ACT_CONTINUE) {
		r.def.kind = kind;
		r.def.sig = (uint8_t)sig;
	} else {
		r.nr = 1;
		r.cpus[0].cpu = cpu;
		r.cpus[0].act.kind = kind;
		r.cpus[0].act.sig = (uint8_t)sig;
	}
	r.set_pc = has_addr;
	r.pc_cpu = cpu;
	r.pc = addr;
	return start(s, &r);
}

int gdb_cmd_continue(struct gdb_session *s, struct gdb_args *a)
{
	return legacy(s, GDB_ACT_CONTINUE, 0, a->n > 0, a->v[0].x);
}

int gdb_cmd_continue_sig(struct gdb_session *s, struct gdb_args *a)
{
	return legacy(s, GDB_ACT_CONTINUE, a->v[0].x, a->n > 1, a->v[1].x);
}

int gdb_cmd_step(struct gdb_session *s, struct gdb_args *a)
{
	return legacy(s, GDB_ACT_STEP, 0, a->n > 0, a->v[0].x);
}

int gdb_cmd_step_sig(struct gdb_session *s, struct gdb_args *a)
{
	return legacy(s, GDB_ACT_STEP, a->v[0].x, a->n > 1, a->v[1].x);
}

int gdb_cmd_vcont_query(struct gdb_session *s, struct gdb_args *a GDB_UNUSED)
{
	gdb_reply(s, "vCont;c;C;s;S;t;r");
	return 0;
}

/* One vCont action without its thread: c, Csig, s, Ssig, t, rSTART,END. */
static int parse_action(const char **p, const char *end, struct gdb_action *act)
{
	char op = *(*p)++;
	uint64_t v;

	memset(act, 0, sizeof(*act));
	switch (op) {
	case 'c':
	case 's':
		act->kind = op == 'c' ? GDB_ACT_CONTINUE : GDB_ACT_STEP;
		return 0;
	case 'C':
	case 'S':
		act->kind = op == 'C' ? GDB_ACT_CONTINUE : GDB_ACT_STEP;
		if (rsp_parse_hex(p, end, &v) || v > 0xff)
			return -EINVAL;
		act->sig = (uint8_t)v;
		return 0;
	case 't':
		act->kind = GDB_ACT_NONE;
		return 0;
	case 'r':
		act->kind = GDB_ACT_RANGE;
		if (rsp_parse_hex(p, end, &act->start) || *p == end || *(*p)++ != ',' ||
		    rsp_parse_hex(p, end, &act->end) || act->end < act->start)
			return -EINVAL;
		return 0;
	default:
		return -EINVAL;
	}
}

/* Apply one action to thread tid. "For each inferior thread, the leftmost action with a matching
 * thread-id is applied" (manual, vCont): the first action without a thread (or with -1) is the
 * default, and it also shadows every later action that names a thread. */
static int add_action(struct gdb_session *s, struct gdb_resume *r, bool *have_def, int64_t tid,
		      const struct gdb_action *act)
{
	unsigned int i;
	int cpu;

	if (tid == GDB_TID_ALL) {
		if (!*have_def)
			r->def = *act;
		*have_def = true;
		return 0;
	}
	cpu = gdb_tid_to_cpu(s, tid);
	if (cpu < 0)
		return cpu;
	if (*have_def)
		return 0;
	for (i = 0; i < r->nr; i++)
		if (r->cpus[i].cpu == (unsigned int)cpu)
			return 0;
	if (r->nr == GDB_RESUME_MAX)
		return -EINVAL;
	r->cpus[r->nr].cpu = (unsigned int)cpu;
	r->cpus[r->nr++].act = *act;
	return 0;
}

int gdb_parse_vcont(struct gdb_session *s, char *text, struct gdb_resume *r)
{
	const char *p = text, *end = text + strlen(text);
	bool have_def = false;
	struct gdb_action act;
	int64_t tid;
	int ret;

	memset(r, 0, sizeof(*r)); /* r->def: GDB_ACT_NONE, threads not named stay stopped */
	if (p == end)
		return -EINVAL; /* "Specifying no actions is an error" */
	for (;;) {
		tid = GDB_TID_ALL;
		ret = parse_action(&p, end, &act);
		if (!ret && p < end && *p == ':') {
			p++;
			ret = gdb_parse_tid(&p, end, &tid);
			if (!ret && tid == GDB_TID_ANY)
				ret = -EINVAL;
		}
		if (!ret && p < end && *p != ';')
			ret = -EINVAL;
		if (!ret)
			ret = add_action(s, r, &have_def, tid, &act);
		if (ret)
			return ret;
		if (p == end)
			return 0;
		if (++p == end)
			return -EINVAL; /* a trailing ';' */
	}
}

int gdb_cmd_vcont(struct gdb_session *s, struct gdb_args *a)
{
	struct gdb_resume r;
	int ret = gdb_parse_vcont(s, a->v[0].s, &r);

	if (ret)
		return ret;
	return start(s, &r);
}

/* D: the target removes every breakpoint and lets the guest run; then OK, and we are done. */
int gdb_cmd_detach(struct gdb_session *s, struct gdb_args *a GDB_UNUSED)
{
	int ret;

	if (s->state != GDB_EXITED) {
		ret = s->ops->detach(s->opaque);
		if (ret)
			return ret;
	}
	gdb_reply(s, "OK");
	s->state = GDB_FINISHED;
	return 0;
}

/* k: no reply (gdb does not wait for one); the target decides what killing means. */
int gdb_cmd_kill(struct gdb_session *s, struct gdb_args *a GDB_UNUSED)
{
	if (s->state != GDB_EXITED) {
		if (s->ops->kill)
			s->ops->kill(s->opaque);
		else
			s->ops->detach(s->opaque);
	}
	s->state = GDB_FINISHED;
	return 0;
}
