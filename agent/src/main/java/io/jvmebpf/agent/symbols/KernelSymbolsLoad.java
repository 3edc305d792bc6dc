package io.jvmebpf.agent.symbols;

/** What loading the kernel's symbols gave: the table, or the sentence that says why not. */
public sealed interface KernelSymbolsLoad {
  record Loaded(KernelSymbols symbols) implements KernelSymbolsLoad {}

  record Unavailable(String reason) implements KernelSymbolsLoad {}
}
