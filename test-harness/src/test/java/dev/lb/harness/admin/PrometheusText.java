package dev.lb.harness.admin;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format (version 0.0.4): every line must be a HELP, a TYPE or a
 * sample; a sample's name must belong to the family its TYPE announced; label sets are well formed; values are
 * numbers. Throws on the first line that is not.
 */
final class PrometheusText {

    private static final Pattern HELP = Pattern.compile("# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .*");
    private static final Pattern TYPE = Pattern.compile(
            "# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|summary|histogram|untyped)");
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (NaN|[+-]?Inf|[-+]?[0-9]*\\.?[0-9]+([eE][-+]?[0-9]+)?)( -?[0-9]+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"(,|$)");

    /** One sample: family name, labels, value. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    private PrometheusText() {
    }

    static List<Sample> parse(String text) {
        List<Sample> samples = new ArrayList<>();
        Set<String> typed = new HashSet<>();
        String family = null;
        String type = null;
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (line.isEmpty()) {
                continue;
            }
            Matcher m;
            if ((m = HELP.matcher(line)).matches()) {
                continue;
            }
            if ((m = TYPE.matcher(line)).matches()) {
                family = m.group(1);
                type = m.group(2);
                if (!typed.add(family)) {
                    throw new IllegalArgumentException("line " + lineNo + ": family " + family + " typed twice");
                }
                continue;
            }
            if (!(m = SAMPLE.matcher(line)).matches()) {
                throw new IllegalArgumentException("line " + lineNo + " is not Prometheus text: " + line);
            }
            String name = m.group(1);
            if (family == null || !belongs(name, family, type)) {
                throw new IllegalArgumentException("line " + lineNo + ": sample " + name + " outside its family ("
                        + family + ")");
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(3) != null && !m.group(3).isEmpty()) {
                Matcher l = LABEL.matcher(m.group(3));
                int at = 0;
                while (at < m.group(3).length()) {
                    if (!l.find(at) || l.start() != at) {
                        throw new IllegalArgumentException("line " + lineNo + ": bad labels " + m.group(3));
                    }
                    labels.put(l.group(1), l.group(2));
                    at = l.end();
                }
            }
            samples.add(new Sample(name, labels, Double.parseDouble(m.group(4).replace("Inf", "Infinity"))));
        }
        return samples;
    }

    private static boolean belongs(String name, String family, String type) {
        if (name.equals(family)) {
            return true;
        }
        return switch (type) {
            case "summary" -> name.equals(family + "_count") || name.equals(family + "_sum");
            case "histogram" -> name.equals(family + "_count") || name.equals(family + "_sum")
                    || name.equals(family + "_bucket");
            default -> false;
        };
    }

    /** The sum of the samples named {@code name} whose labels include {@code labels}. */
    static double sum(List<Sample> samples, String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name().equals(name))
                .filter(s -> s.labels().entrySet().containsAll(labels.entrySet()))
                .mapToDouble(Sample::value).sum();
    }
}
