/**
 * The fault types: one class per type ({@code pod-kill}, {@code network-delay}, ...), each registered once in
 * {@code META-INF/services/dev.slogate.experiment.FaultKind}. A class says what the type is
 * ({@link dev.slogate.experiment.FaultKind}: name, back ends, its own keys, its description) and how each of its back
 * ends injects it ({@link dev.slogate.fault.LocalFault}, {@link dev.slogate.fault.chaosmesh.ChaosMeshFault}). This
 * package sits above the back ends; nothing below it names a type.
 */
package dev.slogate.fault.types;
