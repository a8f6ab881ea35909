/**
 * Test doubles of the runtime's side of the plugin SPI, so that a plugin can be unit-tested without the runtime:
 * {@link dev.lb.spi.testkit.MapPluginConfig} (a plugin's configuration from a map), {@link
 * dev.lb.spi.testkit.TestBackend} (a backend with settable live figures) and {@link dev.lb.spi.testkit.TestPickContext}
 * (a TCP connection or HTTP request to place).
 */
package dev.lb.spi.testkit;
