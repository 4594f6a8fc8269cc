package io.stresslab.core;

import io.stresslab.core.db.DbKind;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares the database engines an implementation of a contract supports. stresslab's checks on another engine are
 * recorded {@code skipped} with that reason instead of running (and failing) against SQL the class never meant to
 * speak. Without it, every engine is assumed.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface SupportedEngines {
    DbKind[] value();
}
