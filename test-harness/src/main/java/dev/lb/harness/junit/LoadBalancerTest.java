package dev.lb.harness.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class whose methods take a {@link Harness}, a {@link dev.lb.harness.bed.TestBed} or the shared
 * {@link dev.lb.harness.toxiproxy.ToxiproxyServer}: registers {@link LbExtension} with its default spec.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(LbExtension.class)
public @interface LoadBalancerTest {
}
