//! Threads kept for the life of the process, to run the parts of a render
//! that go on other cores (template parsing, schema validation, rendering,
//! output heads).
//!
//! Starting and joining a thread costs about 0.1 ms here (its stack and
//! signal stack mapped, the thread scheduled, then at its end the stack
//! advised away and unmapped), and one `chartgen template` of a small chart
//! used five in 5 ms. A job now goes to a parked thread when one is idle,
//! and a thread is started only when none is; idle threads wait on their
//! own condition variable and end with the process.
//!
//! [`scope`] is `std::thread::scope` over these threads: a job may borrow
//! from outside the scope, and the scope returns only once every job it
//! started has finished (also when the scope's closure panics). A job's
//! panic is given to whoever joins it, or, unjoined, re-raised by the scope.

use std::any::Any;
use std::marker::PhantomData;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

/// Stack of every pooled thread, as deep as the command thread's: the
/// parser recurses once per nesting level of a template (up to 10000), the
/// renderer once per call, the validator once per nesting level of the
/// values (Go grows its stacks up to 1 GB). Reserved address space: only
/// what is used is committed.
pub(crate) const STACK_SIZE: usize = 512 << 20;

type Job = Box<dyn FnOnce() + Send + 'static>;

/// A parked thread's mailbox.
struct Worker {
    job: Mutex<Option<Job>>,
    wake: Condvar,
}

static IDLE: Mutex<Vec<Arc<Worker>>> = Mutex::new(Vec::new());

fn relock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Runs `job` on an idle pooled thread, or a new one; gives the job back
/// when no thread can be started.
fn run(job: Job) -> Result<(), Job> {
    let idle = relock(&IDLE).pop();
    if let Some(worker) = idle {
        *relock(&worker.job) = Some(job);
        worker.wake.notify_one();
        return Ok(());
    }
    let worker = Arc::new(Worker {
        job: Mutex::new(Some(job)),
        wake: Condvar::new(),
    });
    let mine = worker.clone();
    match std::thread::Builder::new()
        .stack_size(STACK_SIZE)
        .spawn(move || serve(&mine))
    {
        Ok(_) => Ok(()),
        Err(_) => Err(relock(&worker.job).take().expect("the job was not taken")),
    }
}

/// Runs `f` on a pooled thread, outside any scope (so it owns what it
/// uses); `Err` when no thread can be started. A panic ends the thread.
pub(crate) fn spawn_detached(f: impl FnOnce() + Send + 'static) -> Result<(), ()> {
    run(Box::new(f)).map_err(drop)
}

/// A pooled thread's life: run what it is given, then park.
fn serve(worker: &Arc<Worker>) {
    loop {
        let job = {
            let mut slot = relock(&worker.job);
            loop {
                if let Some(job) = slot.take() {
                    break job;
                }
                slot = worker.wake.wait(slot).unwrap_or_else(|e| e.into_inner());
            }
        };
        // Scoped jobs catch their own panics (see `Scope::spawn`); a
        // detached job's panic ends this thread.
        job();
        relock(&IDLE).push(worker.clone());
    }
}

/// What a scope waits for.
#[derive(Default)]
struct ScopeState {
    /// Jobs started and not finished.
    running: Mutex<usize>,
    all_done: Condvar,
    /// The first panic of a job nobody joined.
    unjoined_panic: Mutex<Option<Box<dyn Any + Send>>>,
}

impl ScopeState {
    fn wait_all(&self) {
        let mut running = relock(&self.running);
        while *running > 0 {
            running = self
                .all_done
                .wait(running)
                .unwrap_or_else(|e| e.into_inner());
        }
    }
}

/// See [`scope`]; the lifetimes are `std::thread::Scope`'s.
pub(crate) struct Scope<'scope, 'env: 'scope> {
    state: Arc<ScopeState>,
    scope: PhantomData<&'scope mut &'scope ()>,
    env: PhantomData<&'env mut &'env ()>,
}

/// A job's result, and whether a handle still waits to receive it.
struct Packet<T> {
    slot: Mutex<PacketSlot<T>>,
    done: Condvar,
}

struct PacketSlot<T> {
    result: Option<std::thread::Result<T>>,
    /// False once the handle was dropped unjoined: a panic then goes to
    /// the scope.
    joinable: bool,
}

/// A job started by [`Scope::spawn`].
pub(crate) struct ScopedJoinHandle<'scope, T> {
    /// `None` once joined.
    packet: Option<Arc<Packet<T>>>,
    state: Arc<ScopeState>,
    scope: PhantomData<&'scope ()>,
}

/// Runs `f` with a scope for jobs on pooled threads; returns once every
/// job started in it has finished.
pub(crate) fn scope<'env, F, T>(f: F) -> T
where
    F: for<'scope> FnOnce(&'scope Scope<'scope, 'env>) -> T,
{
    let scope = Scope {
        state: Arc::new(ScopeState::default()),
        scope: PhantomData,
        env: PhantomData,
    };
    let result = catch_unwind(AssertUnwindSafe(|| f(&scope)));
    // Jobs borrow from outside the scope: none may outlive it, even when
    // `f` panicked.
    scope.state.wait_all();
    let unjoined = relock(&scope.state.unjoined_panic).take();
    match result {
        Err(panic) => resume_unwind(panic),
        Ok(_) if unjoined.is_some() => resume_unwind(unjoined.expect("checked")),
        Ok(value) => value,
    }
}

impl<'scope> Scope<'scope, '_> {
    /// Starts `f` on a pooled thread, or gives it back when no thread can
    /// be started (then the caller does the work).
    pub(crate) fn spawn<F, T>(&'scope self, f: F) -> Result<ScopedJoinHandle<'scope, T>, F>
    where
        F: FnOnce() -> T + Send + 'scope,
        T: Send + 'scope,
    {
        let packet = Arc::new(Packet {
            slot: Mutex::new(PacketSlot {
                result: None,
                joinable: true,
            }),
            done: Condvar::new(),
        });
        let state = self.state.clone();
        let finish = packet.clone();
        // `f` is handed over through this slot, so that it can be taken
        // back if the job never runs.
        let slot = Arc::new(Mutex::new(Some(f)));
        let taken = slot.clone();
        let job = move || {
            if let Some(f) = relock(&taken).take() {
                let result = catch_unwind(AssertUnwindSafe(f));
                {
                    let mut slot = relock(&finish.slot);
                    match result {
                        Err(panic) if !slot.joinable => {
                            relock(&state.unjoined_panic).get_or_insert(panic);
                        }
                        result => slot.result = Some(result),
                    }
                }
                finish.done.notify_all();
            }
            // Whatever holds 'scope data (an unjoined result among it) goes
            // before the count does: at zero the scope may return.
            drop(finish);
            drop(taken);
            let mut running = relock(&state.running);
            *running -= 1;
            if *running == 0 {
                state.all_done.notify_all();
            }
        };
        let job: Box<dyn FnOnce() + Send + 'scope> = Box::new(job);
        // SAFETY: the job borrows only what lives for 'scope, and the scope
        // (see `scope`) does not return before the job has finished: it
        // waits for `running` to come back to zero, which the job does
        // last, after it dropped everything it holds that may borrow. A
        // job that never runs is not counted.
        let job: Job =
            unsafe { std::mem::transmute::<Box<dyn FnOnce() + Send + 'scope>, Job>(job) };
        *relock(&self.state.running) += 1;
        match run(job) {
            Ok(()) => Ok(ScopedJoinHandle {
                packet: Some(packet),
                state: self.state.clone(),
                scope: PhantomData,
            }),
            Err(job) => {
                *relock(&self.state.running) -= 1;
                drop(job);
                let f = relock(&slot).take().expect("the job did not run");
                Err(f)
            }
        }
    }
}

impl<T> ScopedJoinHandle<'_, T> {
    /// Waits for the job; its result, or its panic.
    pub(crate) fn join(mut self) -> std::thread::Result<T> {
        let packet = self.packet.take().expect("joined once");
        let mut slot = relock(&packet.slot);
        loop {
            if let Some(r) = slot.result.take() {
                return r;
            }
            slot = packet.done.wait(slot).unwrap_or_else(|e| e.into_inner());
        }
    }
}

impl<T> Drop for ScopedJoinHandle<'_, T> {
    fn drop(&mut self) {
        let Some(packet) = self.packet.take() else {
            return;
        };
        // Unjoined: the job's panic, now or when it comes, is the scope's.
        let mut slot = relock(&packet.slot);
        slot.joinable = false;
        if let Some(Err(panic)) = slot.result.take() {
            relock(&self.state.unjoined_panic).get_or_insert(panic);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn jobs_borrow_and_return_results_and_threads_are_reused() {
        let data: Vec<usize> = (0..100).collect();
        for _ in 0..20 {
            let sums = scope(|s| {
                let handles: Vec<_> = data
                    .chunks(10)
                    .map(|chunk| s.spawn(|| chunk.iter().sum::<usize>()).ok().unwrap())
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().unwrap())
                    .collect::<Vec<_>>()
            });
            assert_eq!(sums.iter().sum::<usize>(), 4950);
        }
        // Twenty rounds of ten jobs ran on the threads of the first rounds.
        assert!(
            relock(&IDLE).len() <= 20,
            "{} idle threads",
            relock(&IDLE).len()
        );
    }

    #[test]
    fn the_scope_waits_for_unjoined_jobs() {
        let finished = AtomicUsize::new(0);
        scope(|s| {
            for _ in 0..4 {
                let _ = s.spawn(|| {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                    finished.fetch_add(1, Ordering::SeqCst);
                });
            }
        });
        assert_eq!(finished.load(Ordering::SeqCst), 4);
    }

    #[test]
    fn a_panic_goes_to_the_joiner_or_else_to_the_scope() {
        let joined = scope(|s| s.spawn(|| panic!("joined")).ok().unwrap().join());
        assert!(joined.is_err());
        let unjoined = catch_unwind(|| {
            scope(|s| {
                let _ = s.spawn(|| panic!("unjoined"));
            })
        });
        let panic = unjoined.expect_err("the scope re-raises the panic");
        assert_eq!(panic.downcast_ref::<&str>(), Some(&"unjoined"));
        // The thread that ran the panicking jobs is idle again and works.
        assert_eq!(scope(|s| s.spawn(|| 7).ok().unwrap().join().unwrap()), 7);
    }

    #[test]
    fn a_panic_in_the_scope_waits_for_its_jobs_first() {
        let finished = AtomicUsize::new(0);
        let r = catch_unwind(AssertUnwindSafe(|| {
            scope(|s| {
                let _ = s.spawn(|| {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                    finished.fetch_add(1, Ordering::SeqCst);
                });
                panic!("scope body");
            })
        }));
        assert!(r.is_err());
        assert_eq!(finished.load(Ordering::SeqCst), 1);
    }
}
