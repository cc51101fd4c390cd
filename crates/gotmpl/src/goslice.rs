//! The capacity Go gives a slice that grew by `append`, which sprig's
//! `slice` can reach: a Go slice may be cut up to its capacity, not just its
//! length (`slice .Values.l 0 4` of a 3-item list decoded from YAML is
//! `[0 1 2 <nil>]`, as JSON decoding appends the items one at a time and
//! leaves room for four).
//!
//! This is Go's `growslice` (runtime/slice.go, Go 1.25): the next capacity
//! (`nextslicecap`), rounded up to the allocator's size class
//! (`roundupsize`, runtime/msize.go), which is why the capacities are not
//! just powers of two (33 items of 16 bytes: room for 71).

/// Go's malloc size classes up to 32 KiB (runtime/sizeclasses.go), in bytes.
const SIZE_CLASSES: [usize; 68] = [
    0, 8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240, 256, 288, 320,
    352, 384, 416, 448, 480, 512, 576, 640, 704, 768, 896, 1024, 1152, 1280, 1408, 1536, 1792,
    2048, 2304, 2688, 3072, 3200, 3456, 4096, 4864, 5376, 6144, 6528, 6784, 6912, 8192, 9472, 9728,
    10240, 10880, 12288, 13568, 14336, 16384, 18432, 19072, 20480, 21760, 24576, 27264, 28672,
    32768,
];

const MAX_SMALL_SIZE: usize = 32768;
/// Objects holding pointers and larger than 512 bytes carry an 8-byte header.
const MALLOC_HEADER_SIZE: usize = 8;
const MIN_SIZE_FOR_MALLOC_HEADER: usize = 512;
const PAGE_SIZE: usize = 8192;

/// What an element of a slice costs Go: its size, and whether it holds
/// pointers (which decides the malloc header).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Elem {
    pub size: usize,
    pub pointers: bool,
}

impl Elem {
    /// `interface {}`: two words, pointers.
    pub const INTERFACE: Elem = Elem {
        size: 16,
        pointers: true,
    };
    /// `string`: two words, pointers.
    pub const STRING: Elem = Elem {
        size: 16,
        pointers: true,
    };
    /// `int`: one word, no pointers.
    pub const INT: Elem = Elem {
        size: 8,
        pointers: false,
    };
}

/// Go's `roundupsize`: the bytes an allocation of `size` bytes really gets.
fn round_up_size(size: usize, no_scan: bool) -> usize {
    let mut req = size;
    if req <= MAX_SMALL_SIZE - MALLOC_HEADER_SIZE {
        if !no_scan && req > MIN_SIZE_FOR_MALLOC_HEADER {
            req += MALLOC_HEADER_SIZE;
        }
        let class = SIZE_CLASSES
            .iter()
            .copied()
            .find(|&c| c >= req)
            .unwrap_or(MAX_SMALL_SIZE);
        return class - (req - size);
    }
    match req.checked_add(PAGE_SIZE - 1) {
        Some(r) => r & !(PAGE_SIZE - 1),
        None => size,
    }
}

/// The capacity `append` gives a slice of capacity `old_cap` that must hold
/// `new_len` elements (more than `old_cap`).
pub fn append_cap(old_cap: usize, new_len: usize, elem: Elem) -> usize {
    const THRESHOLD: usize = 256;
    let double = old_cap.saturating_add(old_cap);
    let next = if new_len > double {
        new_len
    } else if old_cap < THRESHOLD {
        double
    } else {
        let mut cap = old_cap;
        // From doubling to growing by a quarter, smoothly.
        while cap < new_len {
            cap = cap.saturating_add((cap + 3 * THRESHOLD) >> 2);
        }
        cap
    };
    if elem.size == 0 {
        return next;
    }
    match next.checked_mul(elem.size) {
        Some(bytes) => round_up_size(bytes, !elem.pointers) / elem.size,
        None => next,
    }
}

/// The capacity of a slice that grew from empty by appending its `len`
/// elements one at a time (JSON decoding, sprig's `keys`, `uniq`, `until`, …).
pub fn grown_cap(len: usize, elem: Elem) -> usize {
    appended_cap(0, len, elem)
}

/// The capacity of a slice made with capacity `start_cap`, then appended
/// to one element at a time until it held `len` (`regexFindAll` starts
/// with room for 10).
pub fn appended_cap(start_cap: usize, len: usize, elem: Elem) -> usize {
    let mut cap = start_cap;
    while cap < len {
        cap = append_cap(cap, cap + 1, elem).max(cap + 1);
    }
    cap
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Capacities helm 4.1.4 (Go 1.25) reports, found by slicing lists
    /// decoded from values files up to the first index it refuses.
    #[test]
    fn decoded_lists_have_go_capacities() {
        let helm = [
            (1, 1),
            (2, 2),
            (3, 4),
            (5, 8),
            (9, 16),
            (17, 32),
            (33, 71),
            (40, 71),
            (72, 143),
            (100, 143),
            (200, 303),
            (304, 591),
            (600, 1023),
            (1024, 1535),
            (2000, 2560),
            (5000, 5120),
        ];
        for (len, cap) in helm {
            assert_eq!(grown_cap(len, Elem::INTERFACE), cap, "{len} items");
        }
        assert_eq!(grown_cap(0, Elem::INTERFACE), 0);
    }

    #[test]
    fn other_growth_helm_reports() {
        // `until 33`: []int, no pointers, no header.
        assert_eq!(grown_cap(33, Elem::INT), 64);
        assert_eq!(grown_cap(3, Elem::INT), 4);
        // `append` of one item to a copy of a 3-item list.
        assert_eq!(append_cap(3, 4, Elem::INTERFACE), 6);
        // `prepend`: a 1-item literal extended by 3.
        assert_eq!(append_cap(1, 4, Elem::INTERFACE), 4);
        // `regexFindAll` past its first 10.
        assert_eq!(append_cap(10, 11, Elem::STRING), 20);
    }
}
