// Signature stub, checked against intellij-community platform/lang-api/src/com/intellij/execution/configurations/RunnerSettings.java
// (there it extends com.intellij.openapi.util.JDOMExternalizable, which ide-glue does not use).
package com.intellij.execution.configurations;

public interface RunnerSettings {
}
