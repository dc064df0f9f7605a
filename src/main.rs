// mimalloc rather than the system allocator: evaluating a large evidence set
// makes and frees millions of small values (rows, formulas, arguments), and
// glibc's malloc spent about a third of the CPU time on them, most of it
// coalescing free chunks (docs/performance.md). Only the binary sets it:
// library users keep their own allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    tune_allocator();
    std::process::exit(ascribe::cli::main());
}

/// Two of mimalloc's options, unless the environment sets them: arenas
/// committed page by page as they are touched rather than ahead of use, and
/// freed memory kept for reuse rather than handed back to the system and
/// faulted in again. On a million reports this cut the system time from
/// about 11.7 s to 2.5 s at the same peak (docs/performance.md); a process
/// that exits when its one evaluation is written gains nothing from handing
/// memory back.
fn tune_allocator() {
    // Their numbers in mimalloc.h (v3), which libmimalloc-sys does not name.
    const ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    for (option, variable, value) in [(ARENA_EAGER_COMMIT, "MIMALLOC_ARENA_EAGER_COMMIT", 0), (PURGE_DELAY, "MIMALLOC_PURGE_DELAY", -1)] {
        if std::env::var_os(variable).is_none() {
            // SAFETY: `mi_option_set` stores a number in mimalloc's option
            // table (an atomic store); it takes no pointer, and runs before
            // any other thread exists.
            unsafe { libmimalloc_sys::mi_option_set(option, value) };
        }
    }
}
