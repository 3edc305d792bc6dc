package io.jvmebpf.agent.report.profile;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Adds a thread list to async-profiler's flame graph page. The template can already show one
 * thread: clicking its root frame zooms to it, and the zoomed graph holds that thread's stacks
 * alone. But a thread with few samples is a sliver hard to click, so the list names every thread,
 * busiest first, and choosing one zooms to its root frame by the template's own functions (and
 * redoes a running search within it). The list is plain HTML, the script a few lines inline.
 */
final class ThreadFilter {
  static final String SELECT_ID = "jvm-ebpf-thread";

  /** The template's right-hand header: the list goes just before it, after the buttons. */
  private static final String AFTER = "<header style='float: right'>";
  private static final String BEFORE_END = "</body>";

  // Thread root frames are the graph's second level, under "all"; levels, root, pattern, search
  // and canvas are the template's globals. Keys typed in the list are not the page's hotkeys.
  private static final String SCRIPT =
      """
      <script>
      {
      \tconst select = document.getElementById('%s');
      \tselect.onkeydown = function(event) { event.stopPropagation(); };
      \tselect.onchange = function() {
      \t\tcanvas.onmouseout();
      \t\troot = (levels[1] || []).find(f => f.title === select.value) || levels[0][0];
      \t\tsearch(pattern ? pattern.source : false);
      \t};
      }
      </script>
      """
          .formatted(SELECT_ID);

  private ThreadFilter() {}

  /** One thread's root frame and its total count. */
  record ThreadTotal(String root, String name, int tid, long count) {
    ThreadTotal plus(ThreadTotal other) {
      return new ThreadTotal(root, name, tid, count + other.count);
    }
  }

  static String addTo(String html, List<ThreadTotal> threads, String countName) {
    int header = html.indexOf(AFTER);
    int end = html.lastIndexOf(BEFORE_END);
    if (header < 0 || end < header) {
      throw new IllegalStateException("flame.html has no '" + AFTER + "' or '" + BEFORE_END + "': template changed");
    }
    return html.substring(0, header)
        + select(threads, countName)
        + html.substring(header, end)
        + SCRIPT
        + html.substring(end);
  }

  private static String select(List<ThreadTotal> threads, String countName) {
    long total = threads.stream().mapToLong(ThreadTotal::count).sum();
    StringBuilder html = new StringBuilder("<header style='float: left; margin-left: 8px'>");
    html.append("<select id='").append(SELECT_ID).append("' title='Show one thread' style='max-width: 20em'>\n");
    html.append("<option value=''>All threads (").append(threads.size()).append(")</option>\n");
    threads.stream()
        .sorted(Comparator.comparingLong(ThreadTotal::count).reversed().thenComparing(ThreadTotal::root))
        .forEach(
            t -> html.append("<option value='")
                .append(Html.escape(t.root()))
                .append("'>")
                .append(Html.escape(FrameNames.printable(t.name())))
                .append(String.format(Locale.ROOT, " (tid %d): %d %s, %.1f%%", t.tid(), t.count(), countName,
                    100.0 * t.count() / total))
                .append("</option>\n"));
    return html.append("</select></header>\n").toString();
  }
}
