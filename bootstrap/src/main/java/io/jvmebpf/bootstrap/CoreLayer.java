package io.jvmebpf.bootstrap;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReader;
import java.lang.module.ModuleReference;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Loads the agent's core, stored in the agent jar under {@value #PREFIX}, as the named module
 * {@value #MODULE} in a module layer of its own whose parent loader is the platform loader: the
 * application's classes cannot see it, nor it theirs, and native access can be granted to this
 * module alone instead of the application's unnamed module.
 */
final class CoreLayer {
  static final String PREFIX = "jvm-ebpf-core/";
  static final String MODULE = "io.jvmebpf.core";
  private static final String ENTRY_CLASS = "io.jvmebpf.agent.AgentCore";

  private final Class<?> entry;

  private CoreLayer(Class<?> entry) {
    this.entry = entry;
  }

  /** The jar {@code anchor} was loaded from. */
  static Path jarOf(Class<?> anchor) throws Exception {
    return Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  static CoreLayer load(Path jarPath, Instrumentation inst) throws Exception {
    JarFile jar = new JarFile(jarPath.toFile()); // open for the JVM's life, like the agent jar itself
    ModuleReference reference = new PrefixedReference(describe(jar), jar, jarPath.toUri());
    ModuleFinder finder = new SingleModuleFinder(reference);
    Configuration configuration =
        ModuleLayer.boot().configuration().resolve(finder, ModuleFinder.of(), Set.of(MODULE));
    ModuleLayer layer =
        ModuleLayer.boot().defineModulesWithOneLoader(configuration, ClassLoader.getPlatformClassLoader());
    Module core = layer.findModule(MODULE).orElseThrow();
    // Lets the core, and only the core, switch on its own native access (NativeAccess there) and
    // run Thread.print without the platform MBean server (JavaThreadDump there).
    openTo(inst, Object.class.getModule(), "java.lang", core);
    ModuleLayer.boot().findModule("jdk.management")
        .ifPresent(m -> openTo(inst, m, "com.sun.management.internal", core));
    return new CoreLayer(Class.forName(ENTRY_CLASS, true, layer.findLoader(MODULE)));
  }

  private static void openTo(Instrumentation inst, Module module, String pkg, Module core) {
    inst.redefineModule(module, Set.of(), Map.of(), Map.of(pkg, Set.of(core)), Set.of(), Map.of());
  }

  void start(String options, Instrumentation inst, long startedNanos, List<String> problems, boolean attached)
      throws Exception {
    entry.getMethod("start", String.class, Instrumentation.class, long.class, List.class, boolean.class)
        .invoke(null, options, inst, startedNanos, problems, attached);
  }

  void startExtension(
      String options, Instrumentation inst, long startedNanos, List<String> problems, Map<String, String> otel)
      throws Exception {
    entry.getMethod("startExtension", String.class, Instrumentation.class, long.class, List.class, Map.class)
        .invoke(null, options, inst, startedNanos, problems, otel);
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> spanHooks() throws Exception {
    return (Map<String, Object>) entry.getMethod("spanHooks").invoke(null);
  }

  private static ModuleDescriptor describe(JarFile jar) {
    Set<String> packages = new HashSet<>();
    jar.stream()
        .map(JarEntry::getName)
        .filter(name -> name.startsWith(PREFIX) && !name.endsWith("/"))
        .map(name -> name.substring(PREFIX.length()))
        .filter(name -> !name.startsWith("META-INF/") && name.contains("/"))
        .map(name -> name.substring(0, name.lastIndexOf('/')).replace('/', '.'))
        .forEach(packages::add);
    ModuleDescriptor.Builder builder = ModuleDescriptor.newModule(MODULE)
        .requires("java.instrument")
        .requires("java.management")
        .requires("jdk.management")
        .requires("jdk.jfr");
    // The OTLP export's HttpClient; a runtime image without it still runs the core, export off.
    if (ModuleLayer.boot().findModule("java.net.http").isPresent()) {
      builder.requires("java.net.http");
    }
    return builder.exports("io.jvmebpf.agent").packages(packages).build();
  }

  private static final class SingleModuleFinder implements ModuleFinder {
    private final ModuleReference reference;

    SingleModuleFinder(ModuleReference reference) {
      this.reference = reference;
    }

    @Override
    public Optional<ModuleReference> find(String name) {
      return name.equals(MODULE) ? Optional.of(reference) : Optional.empty();
    }

    @Override
    public Set<ModuleReference> findAll() {
      return Set.of(reference);
    }
  }

  private static final class PrefixedReference extends ModuleReference {
    private final JarFile jar;

    PrefixedReference(ModuleDescriptor descriptor, JarFile jar, URI location) {
      super(descriptor, location);
      this.jar = jar;
    }

    @Override
    public ModuleReader open() {
      return new ModuleReader() {
        @Override
        public Optional<URI> find(String name) {
          return Optional.ofNullable(jar.getJarEntry(PREFIX + name))
              .map(e -> URI.create("jar:" + location().orElseThrow() + "!/" + PREFIX + name));
        }

        @Override
        public Optional<InputStream> open(String name) throws IOException {
          JarEntry entry = jar.getJarEntry(PREFIX + name);
          return entry == null ? Optional.empty() : Optional.of(jar.getInputStream(entry));
        }

        @Override
        public Stream<String> list() {
          return jar.stream()
              .map(JarEntry::getName)
              .filter(n -> n.startsWith(PREFIX))
              .map(n -> n.substring(PREFIX.length()));
        }

        @Override
        public void close() {}
      };
    }
  }
}
