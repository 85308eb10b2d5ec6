/**
 * Deliberately wrong classes in a core package, compiled with the tests only: {@code LayeringTest}
 * shows each layering rule fails on them. The main check imports no test classes.
 */
package io.hivemind.core.layeringfixture;
