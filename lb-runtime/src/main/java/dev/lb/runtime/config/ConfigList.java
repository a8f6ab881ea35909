package dev.lb.runtime.config;

import java.util.List;

/** A YAML sequence: nodes in the order written. */
public final class ConfigList extends ConfigNode {

    private final List<ConfigNode> items;

    ConfigList(String path, SourceLocation location, List<ConfigNode> items) {
        super(path, location);
        this.items = List.copyOf(items);
    }

    /** The items, in the order written. */
    public List<ConfigNode> items() {
        return items;
    }

    @Override
    public String describe() {
        return "a list";
    }
}
