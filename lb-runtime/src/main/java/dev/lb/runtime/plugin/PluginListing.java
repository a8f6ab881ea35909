package dev.lb.runtime.plugin;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Formats a {@link PluginCatalog} as the table {@code lb plugins} prints: KIND, NAME, SOURCE, DESCRIPTION. */
public final class PluginListing {

    private static final String[] HEADER = {"KIND", "NAME", "SOURCE", "DESCRIPTION"};
    private static final String GAP = "  ";

    private PluginListing() {
    }

    /**
     * The catalog as a table with aligned columns, sorted by kind then name, one line per plugin after the header.
     * Lines end with {@code \n}; the last column is not padded, so lines carry no trailing blanks.
     */
    public static String format(PluginCatalog catalog) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        catalog.all().stream()
                .sorted(Comparator.comparing(LoadedPlugin::kind).thenComparing(LoadedPlugin::name))
                .forEach(plugin -> rows.add(new String[] {
                    plugin.kind().displayName(), plugin.name(), plugin.source(), oneLine(plugin.description())
                }));
        int[] widths = new int[HEADER.length];
        for (String[] row : rows) {
            for (int column = 0; column < row.length; column++) {
                widths[column] = Math.max(widths[column], row[column].length());
            }
        }
        StringBuilder table = new StringBuilder();
        for (String[] row : rows) {
            for (int column = 0; column < row.length - 1; column++) {
                table.append(row[column]).append(" ".repeat(widths[column] - row[column].length())).append(GAP);
            }
            table.append(row[row.length - 1]).append('\n');
        }
        return table.toString();
    }

    /** A description is meant to be one line; a stray newline must not break the table. */
    private static String oneLine(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
