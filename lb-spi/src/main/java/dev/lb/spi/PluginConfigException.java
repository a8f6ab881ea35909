package dev.lb.spi;

import java.io.Serial;

/**
 * A plugin's configuration is wrong. The runtime reports it as {@code file:line:column: path: message}, where the
 * location is that of {@link #key()} inside the block given to the provider (or of the block itself when the key is
 * null). Obtain one with {@link PluginConfig#invalid(String, String)}, or construct one directly.
 */
public class PluginConfigException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String key;

    /**
     * @param key the offending key in the plugin's block, or null when the block as a whole is wrong
     * @param message what is wrong and how to fix it, e.g. {@code must be between 1 and 1000, was 0}
     */
    public PluginConfigException(String key, String message) {
        super(message);
        this.key = key;
    }

    /** The offending key within the plugin's block, or null when the block as a whole is at fault. */
    public String key() {
        return key;
    }
}
