package io.elasticcloud.api.console;

/** The browser console on the fast tests' database, H2. */
class ConsoleH2Test extends ConsoleContract {
}
