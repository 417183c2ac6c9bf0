/**
 * Istio multi-primary on the clusters of a mesh: Helm releases, trust, remote secrets, health,
 * and where istiod lives ({@link io.github.mcmesh.internal.istio.Istiod}).
 *
 * <p>Dependencies run one way: this package builds on {@code internal.provision} (its
 * {@code Step}, {@code ProvisioningContext}, {@code ClusterConnection} and the {@code IstioLayer}
 * port the provisioner drives); {@code internal.provision} never imports this package. The real
 * provisioner is therefore wired here ({@link io.github.mcmesh.internal.istio.IstioLayers}).
 * {@code IstioLayeringTest} fails the build when the cycle returns.
 */
package io.github.mcmesh.internal.istio;
