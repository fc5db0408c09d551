/**
 * The live dashboard: a run on a screen while it goes on ({@code slogate run --dashboard}, {@code slogate demo}).
 *
 * <pre>{@code
 * try (Dashboard d = Dashboard.start(InetAddress.getLoopbackAddress(), 0, reportsDir, null, run.sloStatuses())) {
 *     System.out.println("Dashboard: " + d.url());
 *     new ExperimentRun(scenario, options).listen(d).execute();   // seconds, events and the verdict reach the page
 * }                                                                // reports/<run-id>/dashboard.html stays
 * }</pre>
 *
 * Above {@code run} (it is a {@code run.RunListener}); nothing below uses it.
 */
package dev.slogate.dashboard;
