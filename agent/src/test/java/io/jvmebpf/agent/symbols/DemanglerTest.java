package io.jvmebpf.agent.symbols;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jvmebpf.bpf.testing.MachineAssumptions;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Through the system libstdc++, held against c++filt where binutils is installed. */
class DemanglerTest {
  private final Demangler demangler = new Demangler();

  @Test
  void cxxNamesLoseTheirArgumentsAsAsyncProfilerPrintsThem() {
    MachineAssumptions.assume(Demangler.unavailableReason() == null, Demangler.unavailableReason());
    assertEquals(
        "JavaThread::thread_main_inner",
        demangler.demangle("_ZN10JavaThread17thread_main_innerEv"));
    // A template function (its return type stays), a member of a class template.
    assertEquals("int max<int>", demangler.demangle("_Z3maxIiET_S0_S0_"));
    assertEquals(
        "std::vector<int, std::allocator<int> >::push_back",
        demangler.demangle("_ZNSt6vectorIiSaIiEE9push_backERKi"));
    // Parentheses that are part of the name stay: operator(), a function type, a lambda.
    assertEquals("Foo::operator()", demangler.demangle("_ZN3FooclEv"));
    assertEquals(
        "std::function<void ()>::operator()", demangler.demangle("_ZNKSt8functionIFvvEEclEv"));
    assertEquals("main::{lambda(int)#1}::operator()", demangler.demangle("_ZZ4mainENKUliE_clEi"));
    // GCC's clone suffixes go with the arguments.
    assertEquals(
        "JavaThread::thread_main_inner",
        demangler.demangle("_ZN10JavaThread17thread_main_innerEv.cold"));
  }

  @Test
  void namesThatAreNotMangledOrNotValidStayAsTheyAre() {
    assertEquals("write", demangler.demangle("write"));
    assertEquals("JNI_CreateJavaVM", demangler.demangle("JNI_CreateJavaVM"));
    assertEquals("_Znot_a_real_name", demangler.demangle("_Znot_a_real_name"));
  }

  @Test
  void agreesWithCxxfiltOnLibjvm() throws IOException {
    MachineAssumptions.assume(Demangler.unavailableReason() == null, Demangler.unavailableReason());
    MachineAssumptions.assume(Binutils.has("readelf") && Binutils.has("c++filt"), "binutils is not installed");
    List<String> mangled =
        Binutils.functions(ThisProcess.LIBJVM).stream()
            .map(Binutils.ElfSymbol::name)
            .filter(n -> n.startsWith("_Z"))
            .distinct()
            .limit(2000)
            .toList();
    MachineAssumptions.assume(mangled.size() > 100, "libjvm has few C++ symbols here");
    List<String> expected = Binutils.cxxfilt(mangled);
    for (int i = 0; i < mangled.size(); i++) {
      assertEquals(
          Demangler.withoutArguments(expected.get(i)),
          demangler.demangle(mangled.get(i)),
          mangled.get(i));
    }
  }

  @Test
  void argumentsAreCutAtTheLastBalancedParentheses() {
    assertEquals("ns::f", Demangler.withoutArguments("ns::f(int, char const*) const"));
    assertEquals(
        "(anonymous namespace)::g", Demangler.withoutArguments("(anonymous namespace)::g(long)"));
    assertEquals("h<void (*)(int)>", Demangler.withoutArguments("h<void (*)(int)>(void (*)(int))"));
    assertEquals("no_arguments", Demangler.withoutArguments("no_arguments"));
  }
}
