package io.github.mcmesh.internal.junit;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.mcmesh.ClusterHandle;
import io.github.mcmesh.Mesh;
import io.github.mcmesh.junit.MeshCluster;
import io.github.mcmesh.junit.MeshNamespace;
import io.github.mcmesh.junit.MultiClusterMesh;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ModifierSupport;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * A field or parameter the extension fills: a {@link Mesh}, a {@link MeshCluster} client or
 * handle, or the {@link MeshNamespace} name. Checked against the mesh's cluster names before
 * anything is provisioned, so a typo fails in milliseconds.
 *
 * @param description how error messages name it, e.g. {@code @MeshCluster field [KubernetesClient Foo.east]}
 * @param type the declared type
 * @param cluster the {@link MeshCluster} annotation, if any
 * @param namespace whether it carries {@link MeshNamespace}
 * @param isFinal whether it is a final field
 */
public record InjectionPoint(String description, Class<?> type, Optional<MeshCluster> cluster, boolean namespace,
        boolean isFinal) {

    /** Whether the extension fills this field. */
    public static boolean isInjectable(Field field) {
        return isInjectable(field, field.getType());
    }

    /** Whether the extension fills this parameter. */
    public static boolean isInjectable(ParameterContext parameter) {
        return isInjectable(parameter.getParameter(), parameter.getParameter().getType());
    }

    public static InjectionPoint of(Field field) {
        return new InjectionPoint(kind(field) + " field [" + field + "]", field.getType(),
                AnnotationSupport.findAnnotation(field, MeshCluster.class),
                AnnotationSupport.isAnnotated(field, MeshNamespace.class), ModifierSupport.isFinal(field));
    }

    public static InjectionPoint of(ParameterContext parameter) {
        return new InjectionPoint(description(parameter.getParameter(), parameter.getDeclaringExecutable()),
                parameter.getParameter().getType(), parameter.findAnnotation(MeshCluster.class),
                parameter.isAnnotated(MeshNamespace.class), false);
    }

    /**
     * Checks every field and every parameter of the class's test, lifecycle and constructor
     * signatures, as JUnit would hand them to the extension, before anything runs; and so for its
     * {@code @Nested} classes.
     *
     * @throws ExtensionConfigurationException for the first misused one, worded as {@link #check} and
     *         {@link #CONSTRUCTOR_MISUSE} say
     */
    public static void checkClass(Class<?> testClass, List<String> clusterNames) {
        ReflectionSupport.findFields(testClass, InjectionPoint::isInjectable, HierarchyTraversalMode.TOP_DOWN)
                .forEach(field -> of(field).check(clusterNames));
        for (Constructor<?> constructor : testClass.getDeclaredConstructors()) {
            for (Parameter parameter : constructor.getParameters()) {
                if (isInjectable(parameter, parameter.getType())) {
                    throw of(parameter, constructor).misuse(CONSTRUCTOR_MISUSE);
                }
            }
        }
        ReflectionSupport.findMethods(testClass, InjectionPoint::isCalledByJupiter, HierarchyTraversalMode.TOP_DOWN)
                .forEach(method -> {
                    for (Parameter parameter : method.getParameters()) {
                        if (isInjectable(parameter, parameter.getType())) {
                            of(parameter, method).check(clusterNames);
                        }
                    }
                });
        // @Nested classes run after this class has provisioned: check them now; one with its own annotation is its own mesh
        ReflectionSupport.findNestedClasses(testClass, nested -> AnnotationSupport.isAnnotated(nested, Nested.class)
                && !AnnotationSupport.isAnnotated(nested, MultiClusterMesh.class))
                .forEach(nested -> checkClass(nested, clusterNames));
    }

    /** Why a constructor parameter cannot be filled. */
    public static final String CONSTRUCTOR_MISUSE = "cannot be injected into a constructor: the mesh is ready only once the"
            + " class's before-all callbacks ran. Use a field or a method parameter.";

    private static InjectionPoint of(Parameter parameter, Executable executable) {
        return new InjectionPoint(description(parameter, executable), parameter.getType(),
                AnnotationSupport.findAnnotation(parameter, MeshCluster.class),
                AnnotationSupport.isAnnotated(parameter, MeshNamespace.class), false);
    }

    private static String description(Parameter parameter, Executable executable) {
        return kind(parameter) + " parameter [" + parameter + "] in " + executable.toGenericString();
    }

    /** Test methods (including templates such as parameterized and repeated tests) and lifecycle methods. */
    private static boolean isCalledByJupiter(Method method) {
        return JUPITER_METHOD_ANNOTATIONS.stream().anyMatch(annotation -> AnnotationSupport.isAnnotated(method, annotation));
    }

    private static final List<Class<? extends Annotation>> JUPITER_METHOD_ANNOTATIONS = List.of(Test.class,
            TestTemplate.class, TestFactory.class, BeforeAll.class, BeforeEach.class, AfterEach.class, AfterAll.class);

    /**
     * @throws ExtensionConfigurationException naming this field or parameter, what is wrong and,
     *         for an unknown cluster, the mesh's clusters
     */
    void check(List<String> clusterNames) {
        if (cluster.isPresent() && namespace) {
            throw misuse("has both @MeshCluster and @MeshNamespace; keep one.");
        }
        if (isFinal) {
            throw misuse("must not be declared as final.");
        }
        if (cluster.isPresent()) {
            if (type != KubernetesClient.class && type != ClusterHandle.class) {
                throw misuse("must be of type KubernetesClient or ClusterHandle, not " + type.getName() + ".");
            }
            if (!clusterNames.contains(cluster.get().value())) {
                throw misuse("names cluster '" + cluster.get().value() + "', which is not in the mesh; its clusters are "
                        + clusterNames + ".");
            }
        } else if (namespace && type != String.class) {
            throw misuse("must be of type String, not " + type.getName() + ".");
        }
    }

    /**
     * The value to inject, after {@link #check}ing the point: a {@link ClusterHandle} of the class's
     * mesh view (its client in the class namespace), or the cluster's own {@link KubernetesClient}
     * (in its kube context's namespace, the same instance for every class sharing the mesh).
     */
    public Object resolve(ClassScope scope) {
        check(scope.spec().clusterNames());
        if (cluster.isPresent()) {
            String name = cluster.get().value();
            return type == ClusterHandle.class ? scope.mesh().cluster(name) : scope.client(name);
        }
        return namespace ? scope.namespace() : scope.mesh();
    }

    public ExtensionConfigurationException misuse(String problem) {
        return new ExtensionConfigurationException(description + " " + problem);
    }

    private static boolean isInjectable(AnnotatedElement element, Class<?> type) {
        return type == Mesh.class || AnnotationSupport.isAnnotated(element, MeshCluster.class)
                || AnnotationSupport.isAnnotated(element, MeshNamespace.class);
    }

    private static String kind(AnnotatedElement element) {
        if (AnnotationSupport.isAnnotated(element, MeshCluster.class)) {
            return "@MeshCluster";
        }
        return AnnotationSupport.isAnnotated(element, MeshNamespace.class) ? "@MeshNamespace" : "Mesh";
    }
}
