using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace OtpTools
{
    /// <summary>
    /// The private load context of the engine on PowerShell 7. The default context only ever sees the engine's name
    /// (through <see cref="Register"/>); everything the engine needs is loaded here from dependencies/, unless the
    /// runtime itself ships a version at least as new (framework assemblies must stay unified).
    /// </summary>
    internal sealed class OtpToolsLoadContext : AssemblyLoadContext
    {
        private const string EngineName = "OtpTools.Engine";
        private static readonly Lazy<OtpToolsLoadContext> Instance = new Lazy<OtpToolsLoadContext>(() => new OtpToolsLoadContext());
        private static readonly Lazy<Dictionary<string, string>> Platform = new Lazy<Dictionary<string, string>>(ReadPlatformAssemblies);

        public static void Register() => Default.Resolving += ResolveEngine;

        public static void Unregister() => Default.Resolving -= ResolveEngine;

        private static Assembly? ResolveEngine(AssemblyLoadContext context, AssemblyName name) =>
            name.Name == EngineName ? Instance.Value.LoadFromAssemblyPath(PathOf(EngineName)) : null;

        protected override Assembly? Load(AssemblyName name)
        {
            // The public output types are shared with the default context so [OtpTools.OtpSendResult] stays one type.
            if (name.Name == typeof(OtpSendResult).Assembly.GetName().Name) return typeof(OtpSendResult).Assembly;
            var path = PathOf(name.Name!);
            if (!File.Exists(path)) return null;
            if (Platform.Value.TryGetValue(name.Name!, out var platformPath) &&
                AssemblyName.GetAssemblyName(platformPath).Version >= (name.Version ?? new Version()))
                return null;
            return LoadFromAssemblyPath(path);
        }

        private static string PathOf(string assemblyName) => Path.Combine(ModuleInitializer.DependencyFolder, assemblyName + ".dll");

        /// <summary>The runtime's own assemblies (the trusted platform list), by simple name.</summary>
        private static Dictionary<string, string> ReadPlatformAssemblies()
        {
            var list = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? string.Empty;
            var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var path in list.Split(new[] { Path.PathSeparator }, StringSplitOptions.RemoveEmptyEntries))
                result[Path.GetFileNameWithoutExtension(path)] = path;
            return result;
        }
    }
}
