fn main() {
    std::process::exit(ascribe::cli::main());
}
