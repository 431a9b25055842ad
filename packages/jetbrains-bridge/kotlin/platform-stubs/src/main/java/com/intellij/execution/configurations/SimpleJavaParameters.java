// Signature stub (hierarchy only), checked against intellij-community: JavaParameters.java declares
// `public class JavaParameters extends SimpleJavaParameters`; SimpleJavaParameters extends SimpleProgramParameters
// (java/execution/openapi/src/com/intellij/execution/configurations/ and platform/execution/src/.../SimpleProgramParameters.java).
package com.intellij.execution.configurations;

public class SimpleJavaParameters extends SimpleProgramParameters {
}
