package io.github.mcmesh.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcmesh.Mesh;
import io.github.mcmesh.junit.MultiClusterMesh;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The fence between what users name and what is mcmesh's own: no type from
 * {@code io.github.mcmesh.internal} appears in the signature of a public or protected member, a
 * supertype or a nested public type of the API packages of core and the JUnit extension, and every
 * public type outside {@code internal} is in one of those packages. The packages are the ones the
 * README's "What is API" section lists ({@link ApiPackages}), so a new package is API on purpose.
 */
class ApiSurfaceTest {

    /**
     * Known leaks, each as {@code type#member}: the assertion rework removes them, and this list
     * is emptied when it is merged.
     */
    private static final List<Class<?>> JAR_ANCHORS = List.of(Mesh.class, MultiClusterMesh.class);

    @Test
    void no_internal_type_appears_in_an_api_signature() {
        // given
        List<Class<?>> apiTypes = ApiPackages.publicTypes(JAR_ANCHORS).stream()
                .filter(type -> ApiPackages.listedInReadme().contains(type.getPackageName())).toList();

        // when
        List<String> leaks = new ArrayList<>();
        apiTypes.forEach(type -> leaksOf(type, leaks));

        // then
        assertThat(apiTypes).contains(Mesh.class, MultiClusterMesh.class);
        assertThat(leaks).isEmpty();
    }

    @Test
    void every_public_type_outside_internal_is_in_a_listed_api_package() {
        // given
        Set<String> listed = ApiPackages.listedInReadme();

        // when
        List<String> unlisted = ApiPackages.publicTypes(JAR_ANCHORS).stream()
                .filter(type -> !ApiPackages.isInternal(type.getPackageName()))
                .filter(type -> !listed.contains(type.getPackageName()))
                .map(Class::getName).toList();

        // then
        assertThat(listed).containsExactlyInAnyOrder("io.github.mcmesh", "io.github.mcmesh.spec",
                "io.github.mcmesh.assertions", "io.github.mcmesh.workload", "io.github.mcmesh.junit");
        assertThat(unlisted).isEmpty();
    }

    @Test
    void the_check_finds_an_internal_type_in_each_kind_of_signature() {
        // given: a type that leaks in every way the check looks at
        List<String> leaks = new ArrayList<>();

        // when
        leaksOf(Leaky.class, leaks);

        // then
        String name = Leaky.class.getName();
        assertThat(leaks).containsExactlyInAnyOrder(
                name + " supertype java.util.function.Supplier<io.github.mcmesh.internal.exec.CommandResult>",
                name + "#field type io.github.mcmesh.internal.exec.Tool",
                name + "#<init> parameter java.util.List<? extends io.github.mcmesh.internal.exec.Tool>",
                name + "#run throws io.github.mcmesh.internal.exec.CommandFailedException",
                name + "#tools return java.util.Map<java.lang.String, io.github.mcmesh.internal.exec.Tool[]>",
                name + "#bounded type parameter T extends io.github.mcmesh.internal.exec.Tool",
                name + "#bounded parameter T extends io.github.mcmesh.internal.exec.Tool",
                name + "#get return io.github.mcmesh.internal.exec.CommandResult",
                name + "$Nested#tool return io.github.mcmesh.internal.exec.Tool",
                name + "$Marker#value return java.lang.Class<? extends io.github.mcmesh.internal.exec.Tool>");
    }

    /** Adds a line for each internal type in the signature of {@code type} and its public nested types. */
    static void leaksOf(Class<?> type, List<String> leaks) {
        String owner = type.getName();
        List<Type> supertypes = new ArrayList<>();
        if (type.getGenericSuperclass() != null) {
            supertypes.add(type.getGenericSuperclass());
        }
        Collections.addAll(supertypes, type.getGenericInterfaces());
        supertypes.forEach(t -> report(owner + " supertype", t, leaks));
        for (TypeVariable<?> variable : type.getTypeParameters()) {
            report(owner + " type parameter", variable, leaks);
        }
        annotationsOf(owner, type, leaks);
        for (Field field : type.getDeclaredFields()) {
            if (visible(field)) {
                report(member(owner, field) + " type", field.getGenericType(), leaks);
                annotationsOf(member(owner, field), field, leaks);
            }
        }
        for (Constructor<?> constructor : type.getDeclaredConstructors()) {
            if (visible(constructor)) {
                executable(member(owner, constructor), constructor, leaks);
            }
        }
        for (Method method : type.getDeclaredMethods()) {
            if (visible(method) && !method.isBridge()) {
                report(member(owner, method) + " return", method.getGenericReturnType(), leaks);
                executable(member(owner, method), method, leaks);
            }
        }
        for (Class<?> nested : type.getDeclaredClasses()) {
            if (Modifier.isPublic(nested.getModifiers()) || Modifier.isProtected(nested.getModifiers())) {
                leaksOf(nested, leaks);
            }
        }
    }

    private static void executable(String where, Executable executable, List<String> leaks) {
        for (Type parameter : executable.getGenericParameterTypes()) {
            report(where + " parameter", parameter, leaks);
        }
        for (Type thrown : executable.getGenericExceptionTypes()) {
            report(where + " throws", thrown, leaks);
        }
        for (TypeVariable<?> variable : executable.getTypeParameters()) {
            report(where + " type parameter", variable, leaks);
        }
        annotationsOf(where, executable, leaks);
        for (Annotation[] annotations : executable.getParameterAnnotations()) {
            for (Annotation annotation : annotations) {
                report(where + " parameter annotation", annotation.annotationType(), leaks);
            }
        }
    }

    private static void annotationsOf(String where, AnnotatedElement element, List<String> leaks) {
        for (Annotation annotation : element.getDeclaredAnnotations()) {
            report(where + " annotation", annotation.annotationType(), leaks);
        }
    }

    private static void report(String where, Type type, List<String> leaks) {
        if (mentionsInternal(type, Collections.newSetFromMap(new IdentityHashMap<>()))) {
            leaks.add(where + " " + (type instanceof TypeVariable<?> variable ? describe(variable) : type.getTypeName()));
        }
    }

    private static String describe(TypeVariable<?> variable) {
        return variable.getName() + " extends " + String.join(" & ",
                java.util.Arrays.stream(variable.getBounds()).map(Type::getTypeName).toList());
    }

    private static boolean mentionsInternal(Type type, Set<TypeVariable<?>> seen) {
        if (type instanceof Class<?> c) {
            Class<?> element = c;
            while (element.isArray()) {
                element = element.getComponentType();
            }
            return ApiPackages.isInternal(element.getPackageName());
        }
        if (type instanceof ParameterizedType p) {
            return mentionsInternal(p.getRawType(), seen)
                    || p.getOwnerType() != null && mentionsInternal(p.getOwnerType(), seen)
                    || java.util.Arrays.stream(p.getActualTypeArguments()).anyMatch(a -> mentionsInternal(a, seen));
        }
        if (type instanceof WildcardType w) {
            return java.util.Arrays.stream(w.getUpperBounds()).anyMatch(b -> mentionsInternal(b, seen))
                    || java.util.Arrays.stream(w.getLowerBounds()).anyMatch(b -> mentionsInternal(b, seen));
        }
        if (type instanceof GenericArrayType g) {
            return mentionsInternal(g.getGenericComponentType(), seen);
        }
        if (type instanceof TypeVariable<?> v) {
            // SELF extends AbstractMeshAssert<SELF>: each variable is followed once
            return seen.add(v) && java.util.Arrays.stream(v.getBounds()).anyMatch(b -> mentionsInternal(b, seen));
        }
        return false;
    }

    private static boolean visible(Member member) {
        return !member.isSynthetic()
                && (Modifier.isPublic(member.getModifiers()) || Modifier.isProtected(member.getModifiers()));
    }

    private static String member(String owner, Member member) {
        return owner + "#" + (member instanceof Constructor<?> ? "<init>" : member.getName());
    }

    /** Every way a signature can carry a type, each with an internal one, for the check's own test. */
    public static class Leaky implements java.util.function.Supplier<io.github.mcmesh.internal.exec.CommandResult> {
        public io.github.mcmesh.internal.exec.Tool field;

        public Leaky(List<? extends io.github.mcmesh.internal.exec.Tool> tools) {
        }

        public void run() throws io.github.mcmesh.internal.exec.CommandFailedException {
        }

        public java.util.Map<String, io.github.mcmesh.internal.exec.Tool[]> tools() {
            return null;
        }

        public <T extends io.github.mcmesh.internal.exec.Tool> void bounded(T tool) {
        }

        @Override
        public io.github.mcmesh.internal.exec.CommandResult get() {
            return null;
        }

        /** Not visible: not reported. */
        io.github.mcmesh.internal.exec.Tool packagePrivate() {
            return null;
        }

        public static class Nested {
            public io.github.mcmesh.internal.exec.Tool tool() {
                return null;
            }
        }

        public @interface Marker {
            Class<? extends io.github.mcmesh.internal.exec.Tool> value();
        }
    }
}
