// mimalloc rather than the system allocator: evaluating a large evidence set
// makes and frees millions of small values (rows, formulas, arguments), and
// glibc's malloc spent about a third of the CPU time on them, most of it
// coalescing free chunks (docs/performance.md). Only the binary sets it:
// library users keep their own allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(ascribe::cli::main());
}
