package dev.lb.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class YamlTreeReaderTest {

    private static List<String> problems(String yaml) {
        return assertThrows(ConfigException.class, () -> YamlTreeReader.read("t.yaml", yaml)).problems().stream()
                .map(ConfigProblem::toString).toList();
    }

    @Test
    void everyKeyAndValueKeepsItsLocationTypeAndPath() throws Exception {
        ConfigMap root = YamlTreeReader.read("t.yaml", """
                a: 1
                b:
                  - x: "5"
                    y: 2s
                  - yes
                c: { k: ~, f: 1.5 }
                """);
        assertEquals(new SourceLocation("t.yaml", 1, 1), root.keyLocation("a"));
        ConfigScalar a = (ConfigScalar) root.node("a").orElseThrow();
        assertEquals(ConfigScalar.Type.INTEGER, a.type());
        assertEquals(new SourceLocation("t.yaml", 1, 4), a.location());
        ConfigList b = (ConfigList) root.node("b").orElseThrow();
        ConfigMap first = (ConfigMap) b.items().get(0);
        assertEquals("b[0]", first.path());
        ConfigScalar x = (ConfigScalar) first.node("x").orElseThrow();
        assertEquals(ConfigScalar.Type.STRING, x.type());
        assertEquals("5", x.text());
        assertEquals("b[0].x", x.path());
        assertEquals(new SourceLocation("t.yaml", 3, 8), x.location());
        assertEquals(new SourceLocation("t.yaml", 4, 5), first.keyLocation("y"));
        assertEquals(ConfigScalar.Type.BOOLEAN, ((ConfigScalar) b.items().get(1)).type());
        ConfigMap c = (ConfigMap) root.node("c").orElseThrow();
        assertEquals(ConfigScalar.Type.NULL, ((ConfigScalar) c.node("k").orElseThrow()).type());
        assertEquals(ConfigScalar.Type.FLOAT, ((ConfigScalar) c.node("f").orElseThrow()).type());
        assertEquals(new SourceLocation("t.yaml", 6, 4), c.location());
    }

    @Test
    void duplicateKeysAreProblemsAtTheSecondKey() {
        assertEquals(List.of(
                "t.yaml:2:1: a: duplicate key \"a\" (first at line 1): remove one of them",
                "t.yaml:5:3: b.c: duplicate key \"c\" (first at line 4): remove one of them"),
                problems("a: 1\na: 2\nb:\n  c: 1\n  c: 2\n"));
    }

    @Test
    void aliasesAreRefused() {
        assertEquals(List.of("t.yaml:2:4: b: aliases (*x) are not supported: write the value out"),
                problems("a: &x 1\nb: *x\n"));
    }

    @Test
    void onlyOneDocument() {
        assertEquals(List.of("t.yaml:3:1: a second YAML document starts here: put the whole configuration in one"
                + " document"), problems("a: 1\n---\nb: 2\n"));
    }

    @Test
    void syntaxErrorsAreLocated() {
        assertEquals(List.of("t.yaml:2:2: YAML syntax error: expected ',' or ']', but got :"
                + " (while parsing a flow sequence)"), problems("a: [1\nb: 2\n"));
        assertEquals(List.of("t.yaml:1:4: YAML syntax error: found character '\\t(TAB)' that cannot start any"
                + " token. (Do not use \\t(TAB) for indentation) (while scanning for the next token)"), problems("a: \tb\n"));
    }

    @Test
    void unquotedIpv6AddressGetsAHint() {
        assertEquals(List.of("t.yaml:2:12: YAML syntax error: expected the node content, but found ':' (while parsing"
                + " a flow node): an IPv6 address must be quoted, e.g. bind: \"[::1]:8080\""),
                problems("listeners:\n  - bind: [::1]:8080\n"));
    }
}
