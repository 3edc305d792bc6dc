package io.jvmebpf.agent.otel.profiles;

import static io.jvmebpf.agent.otel.profiles.ProfilesSchema.*;

import io.jvmebpf.agent.otel.SpanLink;
import io.jvmebpf.agent.profile.Frame;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import one.proto.Proto;

/**
 * The tables one export request's profiles share: strings, functions, locations, stacks, links
 * and attributes, each entry once, each table starting with its zero value as the schema requires
 * (index 0 means "none" wherever an index points into a table). Mappings are only that zero
 * entry: frames arrive named, and their kind is the location's {@code profile.frame.type}.
 */
final class ProfilesDictionary {
  private final Map<String, Integer> strings = new HashMap<>();
  private final List<String> stringTable = new ArrayList<>();
  private final Map<Integer, Integer> functions = new HashMap<>(); // name's string -> function
  private final List<Integer> functionTable = new ArrayList<>();
  private final Map<Long, Integer> locations = new HashMap<>(); // (function, frame type) -> location
  private final List<int[]> locationTable = new ArrayList<>(); // {function, frame type attribute}
  private final Map<Stack, Integer> stacks = new HashMap<>();
  private final List<int[]> stackTable = new ArrayList<>();
  private final Map<SpanLink, Integer> links = new HashMap<>();
  private final List<SpanLink> linkTable = new ArrayList<>();
  private final Map<Attribute, Integer> attributes = new HashMap<>();
  private final List<Attribute> attributeTable = new ArrayList<>();

  ProfilesDictionary() {
    // The zero values, found by value too: an empty stack, a nameless frame and an all-zero
    // span are index 0, never a second entry equal to it.
    string("");
    functionTable.add(0);
    functions.put(0, 0);
    locationTable.add(new int[] {0, 0});
    locations.put(0L, 0);
    stackTable.add(new int[0]);
    stacks.put(new Stack(new int[0]), 0);
    linkTable.add(null);
    links.put(new SpanLink(0, 0, 0), 0);
    attributeTable.add(null);
  }

  int string(String s) {
    return strings.computeIfAbsent(s, k -> {
      stringTable.add(k);
      return stringTable.size() - 1;
    });
  }

  /** The stack of these frames, given root first as the agent's profiles hold them. */
  int stack(List<Frame> rootFirst) {
    int[] leafFirst = new int[rootFirst.size()];
    for (int i = 0; i < leafFirst.length; i++) {
      leafFirst[i] = location(rootFirst.get(rootFirst.size() - 1 - i));
    }
    return stacks.computeIfAbsent(new Stack(leafFirst), k -> {
      stackTable.add(k.locations());
      return stackTable.size() - 1;
    });
  }

  /** The link to this span; 0 (no link) for null. */
  int link(SpanLink link) {
    if (link == null) {
      return 0;
    }
    return links.computeIfAbsent(link, k -> {
      linkTable.add(k);
      return linkTable.size() - 1;
    });
  }

  int attribute(String key, String value) {
    return attribute(new Attribute(string(key), value, 0));
  }

  int attribute(String key, long value) {
    return attribute(new Attribute(string(key), null, value));
  }

  /** Writes the tables as a {@code ProfilesDictionary} field of {@code into}. */
  void writeTo(Proto into, int field) {
    Proto dictionary = new Proto(64 * 1024);
    dictionary.field(DICTIONARY_MAPPING_TABLE, new Proto(1));
    for (int[] location : locationTable) {
      Proto message = new Proto(16);
      if (location[0] != 0) {
        message.field(LOCATION_LINES, new Proto(8).field(LINE_FUNCTION_INDEX, location[0]));
      }
      if (location[1] != 0) {
        message.field(LOCATION_ATTRIBUTE_INDICES, packed(new int[] {location[1]}));
      }
      dictionary.field(DICTIONARY_LOCATION_TABLE, message);
    }
    for (int name : functionTable) {
      dictionary.field(DICTIONARY_FUNCTION_TABLE, name == 0 ? new Proto(1) : new Proto(8).field(FUNCTION_NAME, name));
    }
    for (SpanLink link : linkTable) {
      dictionary.field(DICTIONARY_LINK_TABLE, linkMessage(link == null ? new SpanLink(0, 0, 0) : link));
    }
    for (Attribute attribute : attributeTable) {
      dictionary.field(DICTIONARY_ATTRIBUTE_TABLE, attribute == null ? new Proto(1) : attribute.message());
    }
    for (int[] stack : stackTable) {
      Proto message = new Proto(8 + stack.length * 3);
      if (stack.length > 0) {
        message.field(STACK_LOCATION_INDICES, packed(stack));
      }
      dictionary.field(DICTIONARY_STACK_TABLE, message);
    }
    for (String string : stringTable) {
      dictionary.field(DICTIONARY_STRING_TABLE, string);
    }
    into.field(field, dictionary);
  }

  /** A repeated int32 field's packed contents (the caller adds the field's tag and length). */
  static Proto packed(int[] values) {
    Proto packed = new Proto(values.length * 5 + 1);
    for (int value : values) {
      packed.writeInt(value);
    }
    return packed;
  }

  /** Frames of kinds with one frame type (compiled and interpreted Java) share a location. */
  private int location(Frame frame) {
    int function = functions.computeIfAbsent(string(frame.name()), name -> {
      functionTable.add(name);
      return functionTable.size() - 1;
    });
    String type = FrameTypes.of(frame.kind());
    int typeAttribute = type == null ? 0 : attribute(FrameTypes.KEY, type);
    return locations.computeIfAbsent(((long) function << 32) | typeAttribute, k -> {
      locationTable.add(new int[] {function, typeAttribute});
      return locationTable.size() - 1;
    });
  }

  private int attribute(Attribute attribute) {
    return attributes.computeIfAbsent(attribute, k -> {
      attributeTable.add(k);
      return attributeTable.size() - 1;
    });
  }

  /** Trace and span ids as the 16 and 8 big-endian bytes OTLP carries them in. */
  private static Proto linkMessage(SpanLink link) {
    byte[] trace = new byte[16];
    byte[] span = new byte[8];
    for (int i = 0; i < 8; i++) {
      trace[i] = (byte) (link.traceIdHigh() >>> (56 - 8 * i));
      trace[8 + i] = (byte) (link.traceIdLow() >>> (56 - 8 * i));
      span[i] = (byte) (link.spanId() >>> (56 - 8 * i));
    }
    return new Proto(32).field(LINK_TRACE_ID, trace).field(LINK_SPAN_ID, span);
  }

  /** An attribute with a string value, or (value null) a number. */
  private record Attribute(int key, String value, long number) {
    Proto message() {
      Proto any = new Proto(16);
      if (value != null) {
        any.field(ANY_VALUE_STRING, value);
      } else {
        any.field(ANY_VALUE_INT, number);
      }
      return new Proto(32).field(ATTRIBUTE_KEY, key).field(ATTRIBUTE_VALUE, any);
    }
  }

  /** Location indices, leaf first, compared by content. */
  private record Stack(int[] locations) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Stack other && Arrays.equals(locations, other.locations);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(locations);
    }
  }
}
