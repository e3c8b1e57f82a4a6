// mimalloc: the run allocates many small strings and trees on two threads; it cuts
// `check`'s CPU time by about a tenth against the system allocator (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    copydesk::cli::main()
}
