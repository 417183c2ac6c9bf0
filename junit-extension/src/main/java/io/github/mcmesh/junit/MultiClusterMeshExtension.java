package io.github.mcmesh.junit;

import static org.junit.jupiter.api.extension.ConditionEvaluationResult.disabled;
import static org.junit.jupiter.api.extension.ConditionEvaluationResult.enabled;

import io.github.mcmesh.internal.junit.ClassNamespaces;
import io.github.mcmesh.internal.junit.ClassScope;
import io.github.mcmesh.internal.junit.InjectionPoint;
import io.github.mcmesh.internal.junit.MeshBackend;
import io.github.mcmesh.internal.junit.MeshConfiguration;
import io.github.mcmesh.internal.junit.SharedMesh;
import io.github.mcmesh.internal.junit.SkipNotice;
import io.github.mcmesh.internal.provision.JacksonClasspath;
import io.github.mcmesh.internal.provision.MeshProvisioner;
import io.github.mcmesh.internal.provision.ProvisionedMesh;
import io.github.mcmesh.spec.ConfigSource;
import io.github.mcmesh.spec.MeshSpec;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ModifierSupport;
import org.junit.platform.commons.support.ReflectionSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Jupiter extension behind {@link MultiClusterMesh}; registered by the annotation, not by hand.
 *
 * <ul>
 * <li>{@link ExecutionCondition}: skips the class, saying which tool is missing and where to get
 * it; with {@value MultiClusterMesh#REQUIRE_TOOLS_PROPERTY_NAME}{@code =true} fails it instead.</li>
 * <li>{@link BeforeAllCallback}: checks every injection point, provisions or reuses the shared mesh
 * (once per cluster names per JVM, in the root store, under a cross-JVM file lock), creates the
 * class namespace in every cluster and fills static fields.</li>
 * <li>{@link BeforeEachCallback} and {@link ParameterResolver}: fill instance fields and parameters.</li>
 * <li>{@link TestWatcher}: records failures, which keep namespaces and clusters under the
 * {@code ON_SUCCESS} policies, and writes the mesh's diagnostics for each failed test into
 * {@code target/mcmesh-reports/<class>/<test>/}, named in a log line and in the report entry
 * {@value #DIAGNOSTICS_REPORT_KEY}.</li>
 * </ul>
 *
 * <pre>{@code
 * @MultiClusterMesh   // registers this extension
 * class CrossClusterIT {
 *     // the tests
 * }
 * }</pre>
 *
 * <p>For a mesh configured in code, register it with {@link #of(MeshSpec)} instead.
 */
public final class MultiClusterMeshExtension
        implements ExecutionCondition, BeforeAllCallback, BeforeEachCallback, ParameterResolver, TestWatcher {

    private static final Logger LOG = LoggerFactory.getLogger(MultiClusterMeshExtension.class);
    private static final Namespace NAMESPACE = Namespace.create(MultiClusterMeshExtension.class);
    private static final String RUN_ID_KEY = "run-id";
    private static final Path REPORTS = Path.of("target", "mcmesh-reports");
    /** The report entry naming the folder a failed test's mesh diagnostics went to. */
    static final String DIAGNOSTICS_REPORT_KEY = "mcmesh.diagnostics";
    /** A failure the condition found, thrown first thing in {@link #beforeAll}. */
    private static final String DEFERRED_FAILURE_KEY = "deferred-failure";

    /** The specification given in code by {@link #of}; {@code null} when registered by {@link MultiClusterMesh}. */
    private final MeshSpec specInCode;

    /** Called by JUnit through {@code @ExtendWith} on {@link MultiClusterMesh}. */
    public MultiClusterMeshExtension() {
        this.specInCode = null;
    }

    private MultiClusterMeshExtension(MeshSpec specInCode) {
        this.specInCode = Objects.requireNonNull(specInCode, "spec");
    }

    /**
     * The extension for a mesh configured in code, for a class without {@link MultiClusterMesh}.
     * Register it in a {@code static} field, so the mesh is ready before the class's tests:
     *
     * <pre>{@code
     * class CrossClusterIT {
     *     @RegisterExtension
     *     static MultiClusterMeshExtension mesh = MultiClusterMeshExtension.of(MeshSpec.builder()
     *             .istioVersion("1.30.3").trust(TrustMode.PLAINTEXT).build());
     *
     *     @MeshCluster("mcmesh-east") KubernetesClient east;
     * }
     * }</pre>
     *
     * <p>{@code spec} takes the place of the annotation: its clusters are the mesh's, and every other
     * setting in it is the lowest layer, overridden as an annotation attribute would be, lowest to
     * highest, by {@code junit-platform.properties}, system properties ({@code -Dmcmesh.istio.version=...})
     * and {@code MCMESH_*} environment variables, so CI can still run a version matrix over it.
     *
     * @param spec the mesh, as built by {@link MeshSpec#builder()}
     */
    public static MultiClusterMeshExtension of(MeshSpec spec) {
        return new MultiClusterMeshExtension(spec);
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (context.getTestMethod().isPresent() || context.getTestClass().isEmpty()) {
            return enabled("tools are checked once per test class");
        }
        // before any tool runs: a BOM that pins Jackson 2's annotations breaks the first JSON parse otherwise
        JacksonClasspath.problem().ifPresent(problem -> {
            throw new ExtensionConfigurationException(problem);
        });
        Optional<String> unknownNames = unknownSettingNames(context);
        if (unknownNames.isPresent()) {
            return failInBeforeAll(context, unknownNames.get());
        }
        MeshSpec spec = spec(context);
        // a misused field or parameter fails here, before the tool check, so it is not hidden by a skip
        InjectionPoint.checkClass(context.getRequiredTestClass(), spec.clusterNames());
        ConfigSource overrides = overrides(context);
        boolean toolsRequired = MeshConfiguration.requireTools(overrides);
        List<String> missing = missingPrerequisites(context, spec);
        if (missing.isEmpty()) {
            return enabled("every tool mcmesh needs is available");
        }
        String problem = "mcmesh needs " + String.join("; ", missing);
        if (toolsRequired) {
            return failInBeforeAll(context, problem + " (" + MeshConfiguration.describeRequireTools(overrides) + ")");
        }
        String reason = problem + "; set " + MultiClusterMesh.REQUIRE_TOOLS_PROPERTY_NAME + "=true to fail instead of skipping";
        LOG.warn("Skipping {}: {}", context.getRequiredTestClass().getName(), reason);
        SkipNotice.CONSOLE.skipped(context.getRequiredTestClass().getName(), reason);
        return disabled(reason);
    }

    /**
     * Every missing prerequisite at once, as the provisioner and its provider report them; a check
     * that asks a tool (the Docker engine) is asked once per JVM, its answer kept in the root store.
     */
    private static List<String> missingPrerequisites(ExtensionContext context, MeshSpec spec) {
        ExtensionContext.Store rootStore = context.getRoot().getStore(NAMESPACE);
        return MeshProvisioner.missingPrerequisites(spec, (key, check) -> rootStore.getOrComputeIfAbsent(key,
                ignored -> check.get(), String.class));
    }

    /**
     * Lets the class fail with the message alone, first thing in {@link #beforeAll}, before any
     * command. Thrown from the condition, JUnit would wrap it in a {@code ConditionEvaluationException}
     * whose own frames (JUnit's streams) bury the message.
     */
    private static ConditionEvaluationResult failInBeforeAll(ExtensionContext context, String message) {
        ExtensionConfigurationException failure = new ExtensionConfigurationException(message);
        failure.setStackTrace(new StackTraceElement[0]);
        context.getStore(NAMESPACE).put(DEFERRED_FAILURE_KEY, failure);
        return enabled("fails in beforeAll, before anything runs: " + message);
    }

    /**
     * Misspelled {@code mcmesh.*} or {@code MCMESH_*} names, which fail the class; warns, once per
     * JVM, about the names it only suspects. See {@link MeshConfiguration#checkNames}.
     */
    private static Optional<String> unknownSettingNames(ExtensionContext context) {
        MeshConfiguration.NameCheck check = context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(
                MeshConfiguration.NameCheck.class, key -> {
                    MeshConfiguration.NameCheck found = MeshConfiguration.checkNames(System.getenv(),
                            System.getProperties().stringPropertyNames(), MeshConfiguration.junitPlatformProperties());
                    found.warnings().forEach(warning -> LOG.warn("{}", warning));
                    return found;
                }, MeshConfiguration.NameCheck.class);
        return check.error();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        ExtensionConfigurationException failure = context.getStore(NAMESPACE).remove(DEFERRED_FAILURE_KEY,
                ExtensionConfigurationException.class);
        if (failure != null) {
            throw failure;
        }
        checkInjectionPoints(context);
        ClassScope scope = scope(context);
        injectFields(context.getRequiredTestClass(), null, ModifierSupport::isStatic, scope);
        if (context.getTestInstanceLifecycle().orElse(TestInstance.Lifecycle.PER_METHOD) == TestInstance.Lifecycle.PER_CLASS) {
            injectFields(context.getRequiredTestClass(), context.getRequiredTestInstance(), ModifierSupport::isNotStatic, scope);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (specInCode != null && classContext(context).getStore(NAMESPACE).get(ClassScope.class, ClassScope.class) == null) {
            // an instance field's extension is registered after the class-level callbacks: no tool check, no static fields
            throw new ExtensionConfigurationException("MultiClusterMeshExtension.of(...) in "
                    + context.getRequiredTestClass().getName() + " must be registered in a static @RegisterExtension field");
        }
        ClassScope scope = scope(context);
        for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
            injectFields(instance.getClass(), instance, ModifierSupport::isNotStatic, scope);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        if (!InjectionPoint.isInjectable(parameterContext)) {
            return false;
        }
        if (parameterContext.getDeclaringExecutable() instanceof Constructor) {
            throw InjectionPoint.of(parameterContext).misuse(InjectionPoint.CONSTRUCTOR_MISUSE);
        }
        return true;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return InjectionPoint.of(parameterContext).resolve(scope(extensionContext));
    }

    /** Records the failure and collects the mesh's diagnostics into {@code target/mcmesh-reports/<class>/<test>/}. */
    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        // the test's own store is closed by now; the class's is not
        ClassScope scope = context.getParent().map(parent -> parent.getStore(NAMESPACE).get(ClassScope.class, ClassScope.class))
                .orElse(null);
        if (scope == null) {
            return;
        }
        Path folder = scope.recordTestFailure(REPORTS.resolve(context.getRequiredTestClass().getName()).resolve(testFolder(context)),
                cause);
        LOG.warn("{} failed; mesh diagnostics in {}", context.getUniqueId(), folder.toAbsolutePath());
        context.publishReportEntry(DIAGNOSTICS_REPORT_KEY, folder.toAbsolutePath().toString());
    }

    /** The method name, plus the invocation's display name for parameterized and repeated tests. */
    private static String testFolder(ExtensionContext context) {
        String method = context.getRequiredTestMethod().getName();
        boolean invocation = context.getParent().flatMap(ExtensionContext::getTestMethod).isPresent();
        String name = invocation ? method + "-" + context.getDisplayName() : method;
        return name.replaceAll("[^A-Za-z0-9._-]+", "_");
    }

    /** The class's scope: made once for the outermost annotated class, shared by its {@code @Nested} classes. */
    private ClassScope scope(ExtensionContext context) {
        ExtensionContext classContext = classContext(context);
        return classContext.getStore(NAMESPACE).getOrComputeIfAbsent(ClassScope.class, key -> openScope(classContext),
                ClassScope.class);
    }

    private ClassScope openScope(ExtensionContext classContext) {
        Class<?> testClass = classContext.getRequiredTestClass();
        MeshSpec spec = spec(classContext);
        ExtensionContext.Store rootStore = classContext.getRoot().getStore(NAMESPACE);
        String runId = rootStore.getOrComputeIfAbsent(RUN_ID_KEY, key -> newRunId(), String.class);
        MeshBackend backend = backend(classContext);
        SharedMesh shared = rootStore.getOrComputeIfAbsent("mesh " + spec.identity(),
                key -> SharedMesh.open(spec, testClass, backend, runId), SharedMesh.class);
        ProvisionedMesh provisioned = shared.provisioned(testClass, spec);
        String namespace = ClassNamespaces.nameFor(testClass, runId);
        ClassNamespaces.create(provisioned.connections(), namespace, runId, Instant.now());
        return new ClassScope(classContext, spec, shared, provisioned, namespace);
    }

    /** Checked again here (the condition checks first), in case conditions are deactivated for the run. */
    private void checkInjectionPoints(ExtensionContext context) {
        InjectionPoint.checkClass(context.getRequiredTestClass(), spec(context).clusterNames());
    }

    private void injectFields(Class<?> testClass, Object instance, Predicate<Field> scope, ClassScope classScope) {
        for (Field field : ReflectionSupport.findFields(testClass, field -> scope.test(field) && InjectionPoint.isInjectable(field),
                HierarchyTraversalMode.TOP_DOWN)) {
            Object value = InjectionPoint.of(field).resolve(classScope);
            try {
                // ReflectionSupport.makeAccessible(Field) exists only from JUnit 5.12; 5.10 is supported
                field.setAccessible(true);
                field.set(instance, value);
            } catch (IllegalAccessException | RuntimeException e) {
                throw new ExtensionConfigurationException("Cannot set " + field, e);
            }
        }
    }

    /** The specification for the context's class, kept in the class store (the condition computes it first). */
    private MeshSpec spec(ExtensionContext context) {
        ExtensionContext classContext = classContext(context);
        // checked before the store: the annotation's own instance may have put its spec there first
        if (specInCode != null && AnnotationSupport.findAnnotation(classContext.getRequiredTestClass(), MultiClusterMesh.class)
                .isPresent()) {
            throw new ExtensionConfigurationException(classContext.getRequiredTestClass().getName()
                    + " has both @MultiClusterMesh and MultiClusterMeshExtension.of(...): keep one of them");
        }
        return classContext.getStore(NAMESPACE).getOrComputeIfAbsent(MeshSpec.class, key -> {
            Class<?> testClass = classContext.getRequiredTestClass();
            if (specInCode != null) {
                return MeshConfiguration.specFor(specInCode, overrides(classContext));
            }
            return MeshConfiguration.specFor(testClass, annotation(classContext), overrides(classContext));
        }, MeshSpec.class);
    }

    private static ConfigSource overrides(ExtensionContext context) {
        return MeshConfiguration.overrides(context::getConfigurationParameter, System.getenv(), System::getProperty,
                MeshConfiguration.junitPlatformProperties());
    }

    /** The context of the innermost class. */
    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext current = context;
        while (current.getTestMethod().isPresent() || current.getTestClass().isEmpty()) {
            current = current.getParent().orElseThrow(() -> new ExtensionConfigurationException(
                    "MultiClusterMeshExtension works on test classes only"));
        }
        return current;
    }

    /** The annotation on the class, a superclass, a meta-annotation or an enclosing class. */
    private static MultiClusterMesh annotation(ExtensionContext classContext) {
        for (ExtensionContext current = classContext; current.getTestClass().isPresent();
                current = current.getParent().orElseThrow()) {
            var found = AnnotationSupport.findAnnotation(current.getRequiredTestClass(), MultiClusterMesh.class);
            if (found.isPresent()) {
                return found.get();
            }
        }
        throw new ExtensionConfigurationException("MultiClusterMeshExtension on " + classContext.getRequiredTestClass().getName()
                + " needs @MultiClusterMesh (directly, as a meta-annotation or on an enclosing class) for the mesh's settings");
    }

    private static MeshBackend backend(ExtensionContext context) {
        return context.getConfigurationParameter(MeshBackend.PROPERTY_NAME,
                className -> (MeshBackend) ReflectionSupport.newInstance(ReflectionSupport.tryToLoadClass(className)
                        .getOrThrow(e -> new ExtensionConfigurationException(MeshBackend.PROPERTY_NAME + "=" + className
                                + " names no loadable class", e))))
                .orElse(MeshBackend.PROVISIONER);
    }

    private static String newRunId() {
        return HexFormat.of().toHexDigits(UUID.randomUUID().getLeastSignificantBits()).substring(0, 12);
    }
}
