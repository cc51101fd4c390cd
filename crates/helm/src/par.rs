//! Independent pieces of one render (template files to parse, documents to
//! decode) spread over the machine's cores, results in their input order.

/// Below this much input, one thread is quicker than sharing the work.
const PARALLEL_MIN_BYTES: usize = 16 << 10;

/// `f` of every item, in order. With at least [`PARALLEL_MIN_BYTES`] of
/// input (`size` of each item) and more than one core, items are shared out
/// over the calling thread and pooled threads (see [`crate::pool`]): thread
/// k takes items k, k + n, k + 2n, ..., which spreads large items when
/// sizes vary; the calling thread takes share 0. An item whose thread could
/// not start is done on the calling thread.
pub(crate) fn map_in_order<T, R>(
    items: &[T],
    size: impl Fn(&T) -> usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R>
where
    T: Sync,
    R: Send,
{
    let threads = crate::threads().min(items.len()).min(8);
    let bytes: usize = items.iter().map(size).sum();
    if threads < 2 || bytes < PARALLEL_MIN_BYTES {
        return items.iter().map(f).collect();
    }
    let mut results: Vec<Option<R>> = (0..items.len()).map(|_| None).collect();
    let share = |k: usize| {
        (k..items.len())
            .step_by(threads)
            .map(|i| (i, f(&items[i])))
            .collect::<Vec<_>>()
    };
    crate::pool::scope(|scope| {
        let share = &share;
        let handles: Vec<_> = (1..threads)
            .map(|k| scope.spawn(move || share(k)))
            .collect();
        for (i, r) in share(0) {
            results[i] = Some(r);
        }
        for handle in handles {
            if let Ok(Ok(done)) = handle.map(|h| h.join()) {
                for (i, r) in done {
                    results[i] = Some(r);
                }
            }
        }
    });
    results
        .into_iter()
        .zip(items)
        .map(|(r, item)| r.unwrap_or_else(|| f(item)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_the_input_order_on_one_or_many_threads() {
        let small: Vec<usize> = (0..100).collect();
        let large: Vec<String> = (0..100).map(|i| "x".repeat(i * 100)).collect();
        assert_eq!(
            map_in_order(&small, |_| 1, |i| i * 2),
            (0..100).map(|i| i * 2).collect::<Vec<_>>()
        );
        assert_eq!(
            map_in_order(&large, String::len, String::len),
            (0..100).map(|i| i * 100).collect::<Vec<_>>()
        );
    }
}
