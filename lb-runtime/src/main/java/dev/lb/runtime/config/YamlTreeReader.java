package dev.lb.runtime.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads one YAML document into a {@link ConfigNode} tree with Jackson's streaming {@link YAMLParser}, keeping the
 * location of every key and value. Duplicate keys, aliases and extra documents are refused, all reported at once.
 */
public final class YamlTreeReader {

    private static final YAMLFactory FACTORY = new YAMLFactory();
    private static final Pattern UNQUOTED_IPV6 = Pattern.compile("(^|[\\s,{:-])\\[[0-9A-Fa-f:.%]*:[0-9A-Fa-f:.%]*]:");

    private final String fileName;
    private final List<ConfigProblem> problems = new ArrayList<>();

    private YamlTreeReader(String fileName) {
        this.fileName = fileName;
    }

    /**
     * Reads {@code yaml}, whose top level must be a map.
     *
     * @param fileName the name to print in locations, as the user gave it
     * @throws ConfigException on a syntax error, an empty document, a top level that is not a map, duplicate keys,
     *     aliases or more than one document
     */
    public static ConfigMap read(String fileName, String yaml) throws ConfigException {
        return new YamlTreeReader(fileName).readDocument(yaml);
    }

    private ConfigMap readDocument(String yaml) throws ConfigException {
        ConfigNode root = null;
        try (YAMLParser parser = FACTORY.createParser(yaml)) {
            if (parser.nextToken() != null) {
                root = readNode(parser, "");
                if (parser.nextToken() != null) {
                    problems.add(new ConfigProblem(location(parser.currentTokenLocation()), "",
                            "a second YAML document starts here: put the whole configuration in one document"));
                }
            }
        } catch (JacksonException e) {
            problems.add(syntaxProblem(e, yaml));
        } catch (IOException e) {
            // A String source does no I/O; anything here is a parser failure all the same.
            problems.add(new ConfigProblem(new SourceLocation(fileName, 1, 1), "", "cannot read: " + e.getMessage()));
        }
        if (root == null && problems.isEmpty()) {
            problems.add(new ConfigProblem(new SourceLocation(fileName, 1, 1), "",
                    "the configuration is empty: it needs at least listeners and pools"));
        } else if (root != null && !(root instanceof ConfigMap)) {
            problems.add(new ConfigProblem(root.location(), "",
                    "expected a map of settings (listeners, pools, ...) at the top level, got " + root.describe()));
        }
        if (!problems.isEmpty()) {
            throw ConfigProblems.exception(problems);
        }
        return (ConfigMap) root;
    }

    private ConfigNode readNode(YAMLParser parser, String path) throws IOException {
        SourceLocation at = location(parser.currentTokenLocation());
        JsonToken token = parser.currentToken();
        return switch (token) {
            case START_OBJECT -> readMap(parser, path, at);
            case START_ARRAY -> readList(parser, path, at);
            case VALUE_STRING -> {
                if (parser.isCurrentAlias()) {
                    problems.add(new ConfigProblem(at, path, "aliases (*" + parser.getText()
                            + ") are not supported: write the value out"));
                }
                yield new ConfigScalar(path, at, ConfigScalar.Type.STRING, parser.getText(), parser.getText());
            }
            case VALUE_NUMBER_INT -> {
                Number n = parser.getNumberValue();
                BigInteger value = n instanceof BigInteger big ? big : BigInteger.valueOf(n.longValue());
                yield new ConfigScalar(path, at, ConfigScalar.Type.INTEGER, parser.getText(), value);
            }
            case VALUE_NUMBER_FLOAT -> new ConfigScalar(path, at, ConfigScalar.Type.FLOAT, parser.getText(),
                    parser.getDoubleValue());
            case VALUE_TRUE, VALUE_FALSE -> new ConfigScalar(path, at, ConfigScalar.Type.BOOLEAN, parser.getText(),
                    token == JsonToken.VALUE_TRUE);
            case VALUE_NULL -> new ConfigScalar(path, at, ConfigScalar.Type.NULL, parser.getText(), null);
            default -> throw new IllegalStateException("unexpected YAML token " + token + " at " + at);
        };
    }

    private ConfigMap readMap(YAMLParser parser, String path, SourceLocation at) throws IOException {
        Map<String, ConfigMap.Entry> entries = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            SourceLocation keyAt = location(parser.currentTokenLocation());
            String keyPath = ConfigNode.childPath(path, key);
            parser.nextToken();
            ConfigNode value = readNode(parser, keyPath);
            ConfigMap.Entry first = entries.get(key);
            if (first != null) {
                problems.add(new ConfigProblem(keyAt, keyPath, "duplicate key \"" + key + "\" (first at line "
                        + first.keyLocation().line() + "): remove one of them"));
            } else {
                entries.put(key, new ConfigMap.Entry(keyAt, value));
            }
        }
        return new ConfigMap(path, at, entries);
    }

    private ConfigList readList(YAMLParser parser, String path, SourceLocation at) throws IOException {
        List<ConfigNode> items = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            items.add(readNode(parser, ConfigNode.indexPath(path, items.size())));
        }
        return new ConfigList(path, at, items);
    }

    private ConfigProblem syntaxProblem(JacksonException e, String yaml) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
                Mark mark = marked.getProblemMark();
                String context = marked.getContext() == null ? "" : " (" + marked.getContext() + ")";
                return new ConfigProblem(new SourceLocation(fileName, mark.getLine() + 1, mark.getColumn() + 1), "",
                        "YAML syntax error: " + marked.getProblem() + context + hint(yaml, mark.getLine()));
            }
        }
        return new ConfigProblem(location(e.getLocation()), "", "YAML syntax error: " + e.getOriginalMessage());
    }

    /** An unquoted {@code [::1]:8080} reads as a YAML list and fails oddly: say what to write instead. */
    private static String hint(String yaml, int line) {
        String[] lines = yaml.split("\\R", -1);
        if (line < lines.length && UNQUOTED_IPV6.matcher(lines[line]).find()) {
            return ": an IPv6 address must be quoted, e.g. bind: \"[::1]:8080\"";
        }
        return "";
    }

    private SourceLocation location(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return new SourceLocation(fileName, 1, 1);
        }
        return new SourceLocation(fileName, location.getLineNr(), Math.max(1, location.getColumnNr()));
    }
}
