// Signature stub (hierarchy only), checked against intellij-community
// java/execution/openapi/src/com/intellij/execution/configurations/JavaParameters.java
package com.intellij.execution.configurations;

public class JavaParameters extends SimpleJavaParameters {
}
