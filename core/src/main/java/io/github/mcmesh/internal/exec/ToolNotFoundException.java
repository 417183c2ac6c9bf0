package io.github.mcmesh.internal.exec;

/**
 * A tool mcmesh needs is missing, or its configured path does not point at an executable. Thrown
 * by {@link Tools#path(Tool)} before any command runs; the message says which tool, where mcmesh
 * looked, the minimum version and where to get it.
 *
 * <pre>{@code
 * try {
 *     tools.path(Tool.HELM);
 * } catch (ToolNotFoundException e) {
 *     e.tool(); // HELM
 * }
 * }</pre>
 */
public class ToolNotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Tool tool;
    private final String reason;

    public ToolNotFoundException(Tool tool, String message) {
        this(tool, message, message);
    }

    /** {@code reason} is the precise cause alone, e.g. {@code mcmesh.tools.helm is set to /opt/helm, but there is no file there}. */
    public ToolNotFoundException(Tool tool, String reason, String message) {
        super(message);
        this.tool = tool;
        this.reason = reason;
    }

    /** Why the tool was not found, in one line without the install hint: what to fix. */
    public String reason() {
        return reason;
    }

    /** The tool that could not be found. */
    public Tool tool() {
        return tool;
    }
}
