package dev.lb.runtime.plugin;

import dev.lb.spi.PluginKind;

/** Turns the errors of {@link java.util.ServiceLoader} into messages that tell a plugin author what to fix. */
final class ProviderErrors {

    /** How ServiceLoader ends its message for a provider it cannot construct. */
    private static final String NO_CONSTRUCTOR = " Unable to get public no-arg constructor";

    private ProviderErrors() {
    }

    /** What went wrong loading a provider of {@code kind}, and how to fix it. */
    static String explain(PluginKind kind, Throwable error) {
        String service = kind.providerType().getName();
        if (error instanceof LinkageError) {
            return "a class it needs is missing or incompatible (" + error + "): embed the library in the plugin"
                    + " jar, or make the plugin a directory holding the plugin jar and its library jars";
        }
        String message = String.valueOf(error.getMessage());
        // ServiceLoader prefixes its messages with the service's name, which the caller already says.
        if (message.startsWith(service + ": ")) {
            message = message.substring(service.length() + 2);
        }
        Throwable cause = error.getCause();
        if (message.endsWith(" not found")) {
            return message + ": the class named in META-INF/services/" + service + " is not in the plugin's jars;"
                    + " correct the name or add the class";
        }
        if (message.endsWith(" not a subtype")) {
            return message + ": the class named in META-INF/services/" + service + " must implement " + service;
        }
        if (message.endsWith(NO_CONSTRUCTOR)) {
            String className = message.substring(0, message.length() - NO_CONSTRUCTOR.length());
            return "Provider " + className + " has no public no-argument constructor: a provider must be a public"
                    + " class with a public no-argument constructor";
        }
        if (message.endsWith(" could not be instantiated") && cause != null) {
            return message + ": its constructor threw " + cause + "; a provider's constructor must be cheap and"
                    + " must not fail (check configuration in create(), not in the constructor)";
        }
        return cause == null ? message : message + ": " + cause;
    }
}
