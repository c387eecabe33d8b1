// SPDX-License-Identifier: GPL-3.0-or-later
/* vCPU threads. Each one loops on KVM_RUN and handles its exits; anything that needs
 * the main loop's attention (power off, reset, a debug stop, an error) is posted as
 * an event and the thread pauses itself. Pausing from outside sets
 * kvm_run.immediate_exit and sends SIGUSR1, so a thread that is about to enter
 * KVM_RUN returns at once and one already inside is kicked out with -EINTR
 * (Documentation/virt/kvm/api.rst, "immediate_exit"). */
#include <errno.h>
#include <linux/kvm.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "errmsg.h"
#include "log.h"
#include "vcpu.h"
#include "vm.h"

#define VCPU_KICK_SIGNAL SIGUSR1

static void kick_handler(int sig)
{
	/* Nothing to do: delivery alone makes KVM_RUN return -EINTR. */
}

/* One feature against the host: on where the host has it, unless --cpu said off. */
static int choose(enum cpu_want want, bool host_has, const char *name, const char *cap, bool *on,
		  bool *lacks, char *err, size_t errlen)
{
	*on = want != CPU_OFF && host_has;
	*lacks = want != CPU_OFF && !host_has;
	if (want == CPU_ON && !host_has)
		return errmsg_fail(err, errlen, -ENOTSUP, "--cpu %s=on: this host's KVM has no %s",
				   name, cap);
	if (*lacks)
		log_debug("this host's KVM has no %s: the guest runs without it", cap);
	return 0;
}

int vcpu_features_choose(struct vm *vm, const struct cpu_opts *o, struct vcpu_features *f,
			 char *err, size_t errlen)
{
	bool pauth = vm_check_extension(vm, KVM_CAP_ARM_PTRAUTH_ADDRESS) > 0 &&
		     vm_check_extension(vm, KVM_CAP_ARM_PTRAUTH_GENERIC) > 0;
	int ret;

	memset(f, 0, sizeof(*f));
	ret = choose(o->sve, vm_check_extension(vm, KVM_CAP_ARM_SVE) > 0, "sve",
		     "SVE (KVM_CAP_ARM_SVE)", &f->sve, &f->host_lacks_sve, err, errlen);
	if (!ret && o->sve_vl && !f->sve)
		ret = errmsg_fail(err, errlen, -ENOTSUP,
				  "--cpu sve-vl=%u: this host's KVM has no SVE (KVM_CAP_ARM_SVE)",
				  o->sve_vl);
	if (!ret)
		ret = choose(o->pauth, pauth, "pauth",
			     "pointer authentication (KVM_CAP_ARM_PTRAUTH_ADDRESS and _GENERIC)",
			     &f->pauth, &f->host_lacks_pauth, err, errlen);
	if (!ret)
		ret = choose(o->pmu, vm_check_extension(vm, KVM_CAP_ARM_PMU_V3) > 0, "pmu",
			     "PMUv3 (KVM_CAP_ARM_PMU_V3)", &f->pmu, &f->host_lacks_pmu, err,
			     errlen);
	f->sve_max_vq = o->sve_vl / 128;
	return ret;
}

int vcpu_sve_vls(struct vcpu *v, unsigned long long vls[8])
{
	return vcpu_get_reg(v, KVM_REG_ARM64_SVE_VLS, vls);
}

/* Before KVM_ARM_VCPU_FINALIZE: the vector lengths up to f's largest (all the host's if 0);
 * api.rst 4.68, KVM_REG_ARM64_SVE_VLS. */
static int set_sve_vls(struct vcpu *v, const struct vcpu_features *f, char *err, size_t errlen)
{
	unsigned long long vls[8];
	unsigned int vq, top = 0;
	char have[256];
	int ret;

	ret = vcpu_sve_vls(v, vls);
	if (ret)
		return errmsg_fail(err, errlen, ret, "cpu%u: reading SVE's vector lengths: %s",
				   v->id, strerror(-ret));
	if (f->sve_max_vq) {
		vq = f->sve_max_vq;
		if (vq > 512 || !cpu_sve_vls_has(vls, vq)) {
			cpu_sve_vls_str(vls, 8, have, sizeof(have));
			return errmsg_fail(err, errlen, -ENOTSUP,
					   "--cpu sve-vl=%u: this host's SVE vector lengths are %s "
					   "bits",
					   vq * 128, have);
		}
		for (unsigned int q = vq + 1; q <= 512; q++)
			vls[(q - 1) / 64] &= ~(1ull << ((q - 1) % 64));
		ret = vcpu_set_reg(v, KVM_REG_ARM64_SVE_VLS, vls);
		if (ret)
			return errmsg_fail(err, errlen, ret,
					   "cpu%u: setting SVE's vector lengths: %s", v->id,
					   strerror(-ret));
	}
	for (vq = 1; vq <= 512; vq++)
		if (cpu_sve_vls_has(vls, vq))
			top = vq;
	v->sve_vq = top;
	return 0;
}

int vcpu_create(struct vm *vm, struct vcpu *v, unsigned int id, bool powered_off,
		const struct vcpu_features *f, char *err, size_t errlen)
{
	struct kvm_vcpu_init init;
	const char *what;
	int ret, feature = KVM_ARM_VCPU_SVE;

	memset(v, 0, sizeof(*v));
	v->vm = vm;
	v->id = id;
	pthread_cond_init(&v->go, NULL);
	what = "KVM_CREATE_VCPU";
	v->fd = ioctl(vm->fd, KVM_CREATE_VCPU, id);
	if (v->fd < 0)
		return errmsg_fail(err, errlen, -errno, "cpu%u: %s: %s", id, what, strerror(errno));
	what = "mmap of kvm_run";
	v->run = mmap(NULL, vm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
	if (v->run == MAP_FAILED) {
		ret = -errno;
		goto err_close;
	}
	what = "KVM_ARM_PREFERRED_TARGET";
	if (ioctl(vm->fd, KVM_ARM_PREFERRED_TARGET, &init) < 0) {
		ret = -errno;
		goto err_unmap;
	}
	init.features[0] |= 1u << KVM_ARM_VCPU_PSCI_0_2;
	if (powered_off)
		init.features[0] |= 1u << KVM_ARM_VCPU_POWER_OFF;
	if (f->sve)
		init.features[0] |= 1u << KVM_ARM_VCPU_SVE;
	if (f->pauth)
		init.features[0] |=
			1u << KVM_ARM_VCPU_PTRAUTH_ADDRESS | 1u << KVM_ARM_VCPU_PTRAUTH_GENERIC;
	if (f->pmu)
		init.features[0] |= 1u << KVM_ARM_VCPU_PMU_V3;
	v->init_features = init.features[0];
	what = "KVM_ARM_VCPU_INIT";
	if (ioctl(v->fd, KVM_ARM_VCPU_INIT, &init) < 0) {
		ret = -errno;
		goto err_unmap;
	}
	if (f->sve) {
		ret = set_sve_vls(v, f, err, errlen);
		if (ret)
			goto err_unmap_told;
		what = "KVM_ARM_VCPU_FINALIZE (SVE)";
		if (ioctl(v->fd, KVM_ARM_VCPU_FINALIZE, &feature) < 0) {
			ret = -errno;
			goto err_unmap;
		}
	}
	return 0;

err_unmap:
	errmsg_fail(err, errlen, ret, "cpu%u: %s: %s", id, what, strerror(-ret));
err_unmap_told:
	munmap(v->run, vm->run_size);
	close(v->fd);
	return ret;
err_close:
	close(v->fd);
	return errmsg_fail(err, errlen, ret, "cpu%u: %s: %s", id, what, strerror(-ret));
}

int vcpu_init_pmu(struct vcpu *v, unsigned int intid, char *err, size_t errlen)
{
	int irq = (int)intid;
	struct kvm_device_attr a = { .group = KVM_ARM_VCPU_PMU_V3_CTRL,
				     .attr = KVM_ARM_VCPU_PMU_V3_IRQ,
				     .addr = (uintptr_t)&irq };

	if (ioctl(v->fd, KVM_SET_DEVICE_ATTR, &a) < 0)
		return errmsg_fail(err, errlen, -errno, "cpu%u: PMU interrupt %u: %s", v->id, intid,
				   strerror(errno));
	a.attr = KVM_ARM_VCPU_PMU_V3_INIT;
	a.addr = 0;
	if (ioctl(v->fd, KVM_SET_DEVICE_ATTR, &a) < 0)
		return errmsg_fail(err, errlen, -errno, "cpu%u: KVM_ARM_VCPU_PMU_V3_INIT: %s",
				   v->id, strerror(errno));
	return 0;
}

void vcpu_set_hooks(struct vm *vm, const struct vcpu_hooks *hooks)
{
	vm->hooks = hooks;
}

int vcpu_reset_all(struct vm *vm)
{
	struct kvm_vcpu_init init;
	unsigned int i;

	if (ioctl(vm->fd, KVM_ARM_PREFERRED_TARGET, &init) < 0)
		return -errno;
	for (i = 0; i < vm->nr_vcpus; i++) {
		init.features[0] = vm->vcpus[i].init_features;
		vm->vcpus[i].epoch++;
		if (ioctl(vm->vcpus[i].fd, KVM_ARM_VCPU_INIT, &init) < 0)
			return -errno;
	}
	return 0;
}

int vcpu_get_reg(struct vcpu *v, uint64_t id, void *val)
{
	struct kvm_one_reg r = { .id = id, .addr = (uintptr_t)val };

	return ioctl(v->fd, KVM_GET_ONE_REG, &r) < 0 ? -errno : 0;
}

int vcpu_set_reg(struct vcpu *v, uint64_t id, const void *val)
{
	struct kvm_one_reg r = { .id = id, .addr = (uintptr_t)val };

	return ioctl(v->fd, KVM_SET_ONE_REG, &r) < 0 ? -errno : 0;
}

int vcpu_set_reg64(struct vcpu *v, uint64_t id, uint64_t val)
{
	return vcpu_set_reg(v, id, &val);
}

/* Called on the vCPU thread: stop running and tell the loop why. */
static void pause_self(struct vcpu *v, enum vm_event_kind why)
{
	pthread_mutex_lock(&v->vm->lock);
	v->want_run = false;
	if (why == VM_EV_ERROR)
		v->vm->error_vcpu = v->id;
	pthread_mutex_unlock(&v->vm->lock);
	vm_post_event(v->vm, why);
}

/* No device at the address: as on hardware, the access ends in a synchronous
 * external abort in the guest (api.rst, KVM_SET_VCPU_EVENTS: ext_dabt_pending
 * after a KVM_EXIT_MMIO). Without KVM_CAP_ARM_INJECT_EXT_DABT the access is
 * ignored (reads give zero) and we say so once. */
static void unbacked_access(struct vcpu *v)
{
	static bool warned;
	struct kvm_run *run = v->run;
	struct kvm_vcpu_events ev;

	log_debug("cpu%u: %s of %u bytes at 0x%llx, where no device is", v->id,
		  run->mmio.is_write ? "write" : "read", run->mmio.len,
		  (unsigned long long)run->mmio.phys_addr);
	if (v->vm->has_ext_dabt) {
		memset(&ev, 0, sizeof(ev));
		ev.exception.ext_dabt_pending = 1;
		if (ioctl(v->fd, KVM_SET_VCPU_EVENTS, &ev) == 0)
			return;
	}
	if (!warned) {
		warned = true;
		log_warn("cpu%u: guest accessed 0x%llx where no device is; ignored", v->id,
			 (unsigned long long)run->mmio.phys_addr);
	}
	if (!run->mmio.is_write)
		memset(run->mmio.data, 0, sizeof(run->mmio.data));
}

static void handle_mmio(struct vcpu *v)
{
	struct kvm_run *run = v->run;

	if (mmio_bus_access(&v->vm->bus, run->mmio.phys_addr, run->mmio.data, run->mmio.len,
			    run->mmio.is_write) == -ENODEV)
		unbacked_access(v);
}

static void handle_system_event(struct vcpu *v)
{
	switch (v->run->system_event.type) {
	case KVM_SYSTEM_EVENT_SHUTDOWN:
		pause_self(v, VM_EV_SHUTDOWN);
		break;
	case KVM_SYSTEM_EVENT_RESET:
		pause_self(v, VM_EV_RESET);
		break;
	default:
		log_err("cpu%u: unexpected system event %u", v->id, v->run->system_event.type);
		pause_self(v, VM_EV_ERROR);
	}
}

static void handle_exit(struct vcpu *v)
{
	struct kvm_run *run = v->run;

	switch (run->exit_reason) {
	case KVM_EXIT_MMIO:
		handle_mmio(v);
		break;
	case KVM_EXIT_SYSTEM_EVENT:
		handle_system_event(v);
		break;
	case KVM_EXIT_DEBUG:
		if (!v->vm->hooks ||
		    !v->vm->hooks->debug_exit(v->vm->hooks->opaque, v->id, run->debug.arch.hsr,
					      run->debug.arch.far))
			pause_self(v, VM_EV_STOPPED);
		break;
	case KVM_EXIT_FAIL_ENTRY:
		log_err("cpu%u: KVM could not enter the guest (reason 0x%llx)", v->id,
			(unsigned long long)run->fail_entry.hardware_entry_failure_reason);
		pause_self(v, VM_EV_ERROR);
		break;
	case KVM_EXIT_INTERNAL_ERROR:
		log_err("cpu%u: KVM internal error %u", v->id, run->internal.suberror);
		pause_self(v, VM_EV_ERROR);
		break;
	default:
		log_err("cpu%u: unexpected KVM exit reason %u", v->id, run->exit_reason);
		pause_self(v, VM_EV_ERROR);
	}
}

/* Block until the loop lets this vCPU run; false when the thread must end. */
static bool wait_for_go(struct vcpu *v)
{
	struct vm *vm = v->vm;
	bool go;

	pthread_mutex_lock(&vm->lock);
	while (!v->want_run && !v->quit) {
		if (v->is_running) {
			v->is_running = false;
			pthread_cond_broadcast(&vm->cond);
		}
		pthread_cond_wait(&v->go, &vm->lock);
	}
	go = !v->quit;
	v->is_running = go;
	if (!go)
		pthread_cond_broadcast(&vm->cond);
	pthread_mutex_unlock(&vm->lock);
	return go;
}

static void *vcpu_thread(void *arg)
{
	struct vcpu *v = arg;
	sigset_t set;
	int ret;

	sigemptyset(&set);
	sigaddset(&set, VCPU_KICK_SIGNAL);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);

	while (wait_for_go(v)) {
		const struct vcpu_hooks *h = v->vm->hooks;

		ret = h ? h->before_run(h->opaque, v->id) : 0;
		if (ret < 0) {
			log_err("cpu%u: KVM_SET_GUEST_DEBUG: %s", v->id, strerror(-ret));
			pause_self(v, VM_EV_ERROR);
			continue;
		}
		ret = ioctl(v->fd, KVM_RUN, 0);
		v->epoch++;
		if (ret < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue; /* kicked: wait_for_go() sees why */
			log_err("cpu%u: KVM_RUN: %s", v->id, strerror(errno));
			pause_self(v, VM_EV_ERROR);
			continue;
		}
		handle_exit(v);
	}
	return NULL;
}

int vcpu_start(struct vcpu *v)
{
	static bool handler_set;
	struct sigaction sa;
	int ret;

	if (!handler_set) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = kick_handler; /* no SA_RESTART: KVM_RUN must return */
		sigaction(VCPU_KICK_SIGNAL, &sa, NULL);
		handler_set = true;
	}
	ret = -pthread_create(&v->thread, NULL, vcpu_thread, v);
	if (!ret)
		v->has_thread = true;
	return ret;
}

/* With vm->lock held. Only this vCPU's thread is woken: a broadcast on vm->cond would
 * wake every vCPU thread to find it has nothing to do. */
static void let_run(struct vcpu *v)
{
	v->run->immediate_exit = 0;
	v->want_run = true;
	pthread_cond_signal(&v->go);
}

void vcpu_resume_all(struct vm *vm)
{
	unsigned int i;

	pthread_mutex_lock(&vm->lock);
	for (i = 0; i < vm->nr_vcpus; i++)
		let_run(&vm->vcpus[i]);
	pthread_mutex_unlock(&vm->lock);
}

void vcpu_resume(struct vcpu *v)
{
	pthread_mutex_lock(&v->vm->lock);
	let_run(v);
	pthread_mutex_unlock(&v->vm->lock);
}

bool vcpu_is_powered_off(struct vcpu *v)
{
	struct kvm_mp_state mp;

	return ioctl(v->fd, KVM_GET_MP_STATE, &mp) == 0 && mp.mp_state == KVM_MP_STATE_STOPPED;
}

static bool any_running(struct vm *vm)
{
	unsigned int i;

	for (i = 0; i < vm->nr_vcpus; i++)
		if (vm->vcpus[i].is_running)
			return true;
	return false;
}

void vcpu_pause_all(struct vm *vm)
{
	vcpu_pause_all_save(vm, NULL);
}

void vcpu_pause_all_save(struct vm *vm, bool *was_running)
{
	unsigned int i;

	pthread_mutex_lock(&vm->lock);
	for (i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *v = &vm->vcpus[i];

		if (was_running)
			was_running[i] = v->want_run;
		v->want_run = false;
		if (v->is_running) {
			v->run->immediate_exit = 1;
			pthread_kill(v->thread, VCPU_KICK_SIGNAL);
		}
	}
	while (any_running(vm))
		pthread_cond_wait(&vm->cond, &vm->lock);
	pthread_mutex_unlock(&vm->lock);
}

int vcpu_wait_paused(struct vcpu *v, unsigned int timeout_ms)
{
	struct vm *vm = v->vm;
	struct timespec ts;
	int ret = 0;

	clock_gettime(CLOCK_REALTIME, &ts); /* vm->cond has the default clock */
	ts.tv_sec += timeout_ms / 1000;
	ts.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&vm->lock);
	while ((v->want_run || v->is_running) && ret != ETIMEDOUT)
		ret = pthread_cond_timedwait(&vm->cond, &vm->lock, &ts);
	ret = v->want_run || v->is_running ? -ETIMEDOUT : 0;
	pthread_mutex_unlock(&vm->lock);
	return ret;
}

void vcpu_destroy_all(struct vm *vm)
{
	unsigned int i;

	vcpu_pause_all(vm);
	pthread_mutex_lock(&vm->lock);
	for (i = 0; i < vm->nr_vcpus; i++) {
		vm->vcpus[i].quit = true;
		pthread_cond_signal(&vm->vcpus[i].go);
	}
	pthread_mutex_unlock(&vm->lock);
	for (i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *v = &vm->vcpus[i];

		if (v->has_thread)
			pthread_join(v->thread, NULL);
		munmap(v->run, vm->run_size);
		close(v->fd);
	}
}
