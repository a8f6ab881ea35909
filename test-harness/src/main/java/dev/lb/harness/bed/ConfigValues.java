package dev.lb.harness.bed;

import dev.lb.runtime.config.ConfigList;
import dev.lb.runtime.config.ConfigMap;
import dev.lb.runtime.config.ConfigNode;
import dev.lb.runtime.config.ConfigScalar;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns a configuration tree back into the plain Java values it could have been built from, to rewrite parts. */
final class ConfigValues {

    private ConfigValues() {
    }

    /** Maps become mutable {@link LinkedHashMap}s, lists mutable {@link ArrayList}s, scalars as typed. */
    static Object toJava(ConfigNode node) {
        return switch (node) {
            case ConfigMap map -> {
                Map<String, Object> values = new LinkedHashMap<>();
                for (String key : map.keys()) {
                    values.put(key, toJava(map.node(key).orElseThrow()));
                }
                yield values;
            }
            case ConfigList list -> {
                List<Object> items = new ArrayList<>();
                list.items().forEach(item -> items.add(toJava(item)));
                yield items;
            }
            case ConfigScalar scalar -> switch (scalar.type()) {
                case STRING -> scalar.text();
                case INTEGER -> new BigInteger(scalar.text());
                case FLOAT -> Double.parseDouble(scalar.text());
                case BOOLEAN -> Boolean.parseBoolean(scalar.text());
                case NULL -> null;
            };
        };
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> root(ConfigMap root) {
        return (Map<String, Object>) toJava(root);
    }
}
