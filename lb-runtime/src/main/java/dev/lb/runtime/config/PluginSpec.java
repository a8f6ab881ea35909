package dev.lb.runtime.config;

import dev.lb.spi.PluginConfig;
import dev.lb.spi.PluginKind;

/**
 * A plugin chosen in configuration: its kind, the name it was chosen by, and its own settings block (everything
 * beside {@code type} that the runtime does not read itself).
 *
 * @param kind which kind of plugin
 * @param type the provider's name, e.g. {@code round-robin}
 * @param settings the plugin's block, with source locations
 */
public record PluginSpec(PluginKind kind, String type, PluginConfig settings) {
}
